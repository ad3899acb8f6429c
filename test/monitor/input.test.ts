/**
 * The reader and the checks on bad input: the byte-level CSV parser against csv-parse (a real peer) on
 * awkward files, numbers from bytes against Number(), and every bad-input and schema case through the real
 * CLI (exit code and message).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_REQUEST_LOG, RequestLog } from '../../src/deploy/local/request-log.js';
import { FIELD_CAP, parseDecimalBytes } from '../../src/monitor/cells.js';
import { detectDrift } from '../../src/monitor/drift.js';
import { profileFile, type CategoricalColumnProfile } from '../../src/monitor/profile.js';
import { readRows } from '../../src/monitor/read.js';
import { random } from './data.js';

const execFileAsync = promisify(execFile);
/** The CLI run as users run it, from a temp folder (so that histories land there, not in the checkout). */
const CLI = join(process.cwd(), 'src/cli/index.ts');
const TSX = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-monitor-input-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rowsOf(path: string): Promise<{ header: string[]; rows: string[][] }> {
  let header: string[] = [];
  const rows: string[][] = [];
  await readRows(path, {
    columns: (names) => (header = [...names]),
    row: (row) => rows.push(Array.from({ length: row.length }, (_, i) => row.text(i))),
  });
  return { header, rows };
}

describe('the CSV reader', () => {
  test('quotes, doubled quotes, line breaks in quotes, CRLF, BOM, TSV, empty lines', async () => {
    const path = join(dir, 'awkward.csv');
    await writeFile(path, '\uFEFFa,"b ""q""",c\r\n1,"x,y","line\nbreak"\r\n\r\n2,,"" \n3,"",z');
    await expect(rowsOf(path)).rejects.toThrow(/awkward\.csv:5:6: text after a closing quote/);
    await writeFile(path, '\uFEFFa,"b ""q""",c\r\n1,"x,y","line\nbreak"\r\n\r\n2,,""\n3,"",z');
    expect(await rowsOf(path)).toEqual({ header: ['a', 'b "q"', 'c'], rows: [['1', 'x,y', 'line\nbreak'], ['2', '', ''], ['3', '', 'z']] });
    const tsv = join(dir, 'plain.tsv');
    await writeFile(tsv, 'a\tb\n1\t"t\tab"\n');
    expect(await rowsOf(tsv)).toEqual({ header: ['a', 'b'], rows: [['1', 't\tab']] });
  });

  test('agrees with csv-parse on a 3 MB file of random awkward fields (rows cut by every chunk end)', async () => {
    const next = random(7);
    const pieces = ['', ' ', 'x', '1.5', '-2e3', '"', ',', '\n', '\r\n', 'é', '漢', 'NA', '0007'];
    const field = (): string => {
      let text = '';
      const length = Math.floor(next() * 6);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)] ?? '';
      return /[",\r\n]/.test(text) || next() < 0.2 ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const lines = ['a,b,c,d'];
    let size = 0;
    while (size < 3 << 20) {
      const line = [field(), field(), field(), field()].join(',');
      lines.push(line);
      size += line.length + 2;
    }
    const text = `${lines.join('\r\n')}\r\n`;
    const path = join(dir, 'random.csv');
    await writeFile(path, text);
    const expected = (parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][]).map((row) => row.map((cell) => (cell.length > FIELD_CAP ? cell.slice(0, FIELD_CAP) : cell)));
    const ours = await rowsOf(path);
    expect([ours.header, ...ours.rows]).toEqual(expected);
    // The same through gzip.
    await writeFile(`${path}.gz`, gzipSync(text));
    expect((await rowsOf(`${path}.gz`)).rows.length).toBe(ours.rows.length);
  });

  test.each([
    '0', '-0', '1', '+1', '1.5', '-2.25', '.5', '5.', '1e3', '1E-3', '-1.5e+10', '123456789012345', '1234567890123456789', '0.1', '0.30000000000000004',
    '3.141592653589793', '1e22', '1e23', '1e-22', '4.9e-324', '1e400', '007', '1_000', '0x1A', ' 2 ', 'Infinity', '1e', '-', '.', '1.2.3', '2024-01-01',
  ])('number from bytes of %j is Number() of the text', async (text) => {
    const bytes = Buffer.from(text);
    const fast = parseDecimalBytes(bytes, 0, bytes.length);
    const expected = Number(text);
    // The fast path either gives exactly Number(text) or declines (NaN) and leaves it to Number().
    if (!Number.isNaN(fast)) expect(Object.is(fast, expected)).toBe(true);
    const path = join(dir, `n${Math.floor(Math.random() * 1e9)}.csv`);
    await writeFile(path, `x\n${text.includes(',') ? `"${text}"` : text}\n`);
    let value = Number.NaN;
    await readRows(path, { columns: () => undefined, row: (row) => (value = row.number(0)) });
    if (Number.isFinite(expected) && text.trim() !== '') expect(Object.is(value, expected)).toBe(true);
    else expect(value).toBeNaN();
  });

  test('a 10 MB field is cut in the profile and the verdict and counted; bad UTF-8 and ragged rows are counted', async () => {
    const reference = join(dir, 'long-ref.csv');
    const current = join(dir, 'long-cur.csv');
    const huge = 'y'.repeat(10 << 20);
    const rows = Array.from({ length: 50 }, (_, i) => `${i},${['a', 'b'][i % 2]}`);
    await writeFile(reference, `n,kind\n${rows.join('\n')}\n1,${huge}\n`);
    const profile = await profileFile(reference);
    const kind = profile.columns.find((column) => column.name === 'kind') as CategoricalColumnProfile;
    expect(Math.max(...Object.keys(kind.frequencies).map((key) => key.length))).toBe(FIELD_CAP + 1);
    expect(JSON.stringify(profile).length).toBeLessThan(50_000);
    expect(profile.input?.truncated).toEqual({ kind: 1 });
    const bad = Buffer.concat([Buffer.from(`n,kind\n${rows.slice(0, 20).join('\n')}\n1,`), Buffer.from([0x61, 0xff, 0xfe]), Buffer.from(`\n2\n3,a,extra\n4,${huge}\n`)]);
    await writeFile(current, bad);
    const verdict = await detectDrift(profile, current);
    const text = JSON.stringify(verdict);
    expect(text.length).toBeLessThan(50_000);
    const checks = Object.fromEntries(verdict.quality.issues.map((issue) => [`${issue.column}:${issue.check}`, issue.message]));
    expect(checks['*:ragged-rows']).toBe(`2 rows have a different number of fields than the header, the first at ${current}:23 (1 fields, the header has 2)`);
    expect(checks['kind:invalid-utf8']).toMatch(/^1 values are not valid UTF-8/);
    expect(checks['kind:truncated-values']).toMatch(/^1 values are longer than the size cap/);
  });
});

describe('bad input and schema changes through the CLI', () => {
  const cli = (args: string[]) =>
    execFileAsync(process.execPath, ['--import', TSX, CLI, ...args], { cwd: dir, maxBuffer: 64 << 20 }).then(
      (result) => ({ code: 0, stdout: result.stdout, stderr: result.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  let profilePath: string;
  let csv: string;

  beforeAll(async () => {
    csv = `a,b,c\n${Array.from({ length: 3000 }, (_, i) => `${(i * 7919) % 1000},${i % 3 === 0 ? 'x' : 'y'},${(i * 31) % 97}`).join('\n')}\n`;
    await writeFile(join(dir, 'ref.csv'), csv);
    profilePath = join(dir, 'ref.json');
    const made = await cli(['profile', join(dir, 'ref.csv'), '-o', profilePath]);
    expect(made.stderr).toBe('profiled 3000 rows, 3 columns → ' + profilePath + '\n');
    expect(made.code).toBe(0);
  });

  test('unreadable, corrupt and malformed input: exit 2 with one line naming the file and where', async () => {
    const gz = gzipSync(Buffer.from(csv));
    const corrupt = Buffer.from(gz);
    for (let i = 40; i < 80; i++) corrupt[i] = 0xff;
    await writeFile(join(dir, 'corrupt.csv.gz'), corrupt);
    await writeFile(join(dir, 'plain.csv.gz'), csv);
    await writeFile(join(dir, 'cut.csv.gz'), gz.subarray(0, gz.length - 30));
    await writeFile(join(dir, 'unclosed.csv'), 'a,b,c\n1,x,2\n2,"y,3\n4,x,5\n');
    await writeFile(join(dir, 'after-quote.csv'), 'a,b,c\n1,x,2\n2,"y"z,3\n');
    await writeFile(join(dir, 'bad.jsonl'), '{"a": 1}\n{"a": \n');
    await mkdir(join(dir, 'folder.csv'), { recursive: true });
    const cases: [string, RegExp][] = [
      ['corrupt.csv.gz', /corrupt\.csv\.gz:\d+: corrupt gzip data \(/],
      ['plain.csv.gz', /plain\.csv\.gz: not gzip data, though the name ends in \.gz/],
      ['cut.csv.gz', /cut\.csv\.gz:\d+: the gzip data ends early/],
      ['unclosed.csv', /unclosed\.csv:3:3: unclosed quote/],
      ['after-quote.csv', /after-quote\.csv:3:6: text after a closing quote/],
      ['bad.jsonl', /bad\.jsonl:2: not JSON/],
      ['folder.csv', /folder\.csv is a folder without \.jsonl/],
      ['missing.csv', /cannot read .*missing\.csv: ENOENT/],
    ];
    const results = await Promise.all(
      cases.flatMap(([file]) => [cli(['drift', '--reference', profilePath, '--current', join(dir, file)]), cli(['profile', join(dir, file)])]),
    );
    cases.forEach(([file, message], index) => {
      for (const [command, result] of [['drift', results[2 * index]], ['profile', results[2 * index + 1]]] as const) {
        expect(result?.code, `${command} ${file}`).toBe(2);
        expect(result?.stderr, `${command} ${file}`).toMatch(message);
        expect(result?.stderr.trim().split('\n'), `${command} ${file}: one line`).toHaveLength(1);
        expect(result?.stderr).not.toMatch(/\n\s+at /);
      }
    });
  }, 120_000);

  test('schema drift: renamed, missing, new and retyped columns and empty data exit 1 naming the column; an empty reference exits 2', async () => {
    await writeFile(join(dir, 'renamed.csv'), csv.replace('a,b,c', 'a,B,c'));
    await writeFile(join(dir, 'dropped.csv'), csv.replace(/^(a,b),c/, '$1').replace(/,\d+\n/g, '\n'));
    await writeFile(join(dir, 'text.csv'), csv.replace(/\n(\d+),/g, '\nv$1,'));
    await writeFile(join(dir, 'header-only.csv'), 'a,b,c\n');
    await writeFile(join(dir, 'empty.jsonl'), '');
    await writeFile(join(dir, 'same.csv'), csv);
    const zero = { ...(JSON.parse(await readFile(profilePath, 'utf8')) as object), rows: 0 };
    await writeFile(join(dir, 'zero.json'), JSON.stringify(zero));
    const [renamed, dropped, text, headerOnly, empty, same, zeroRef, profileEmpty] = await Promise.all([
      cli(['drift', '--reference', profilePath, '--current', join(dir, 'renamed.csv')]),
      cli(['drift', '--reference', profilePath, '--current', join(dir, 'dropped.csv')]),
      cli(['drift', '--reference', profilePath, '--current', join(dir, 'text.csv')]),
      cli(['drift', '--reference', profilePath, '--current', join(dir, 'header-only.csv')]),
      cli(['drift', '--reference', profilePath, '--current', join(dir, 'empty.jsonl')]),
      cli(['drift', '--reference', profilePath, '--current', join(dir, 'same.csv')]),
      cli(['drift', '--reference', join(dir, 'zero.json'), '--current', join(dir, 'same.csv')]),
      cli(['profile', join(dir, 'header-only.csv')]),
    ]);
    expect(same.code).toBe(0);
    expect(renamed.code).toBe(1);
    expect(renamed.stdout).toContain("schema: column 'b' is missing from the current data");
    expect(renamed.stdout).toContain("schema: column 'B' is not in the reference profile");
    expect(dropped.code).toBe(1);
    expect(dropped.stdout).toContain("schema: column 'c' is missing from the current data");
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("schema: column 'a' was numeric and is now text in 100.0% of its values");
    expect(headerOnly.code).toBe(1);
    expect(headerOnly.stdout).toContain('schema: the current data has no rows');
    expect(empty.code).toBe(1);
    expect(empty.stdout).toContain('schema: the current data has no rows');
    expect(empty.stdout).toContain("schema: column 'a' is missing from the current data");
    expect(zeroRef.code).toBe(2);
    expect(zeroRef.stderr).toMatch(/reference profile of ref\.csv has no rows/);
    expect(profileEmpty.code).toBe(2);
    expect(profileEmpty.stderr).toMatch(/header-only\.csv has no data rows/);
  }, 120_000);

  test('live traffic: --current takes an endpoint request-log folder (every .jsonl and .jsonl.gz, in name order)', async () => {
    const log = join(dir, 'deployments', 'digits', 'predict', 'requests');
    await mkdir(log, { recursive: true });
    const line = (i: number, shift = 0): string => JSON.stringify({ _time: `2026-12-06T00:00:${String(i % 60).padStart(2, '0')}Z`, _version: 'v1', _status: 200, a: ((i * 7919) % 1000) + shift, b: i % 3 === 0 ? 'x' : 'y', c: ((i * 31) % 97) + shift / 10, prediction: i % 10 });
    const lines = (from: number, to: number, shift = 0): string => Array.from({ length: to - from }, (_, k) => line(from + k, shift)).join('\n');
    await writeFile(join(log, 'requests-000001.jsonl'), `${lines(0, 1000)}\n`);
    await writeFile(join(log, 'requests-000002.jsonl.gz'), gzipSync(`${lines(1000, 2000)}\n`));
    // The newest file, being written: its last line is cut short.
    await writeFile(join(log, 'requests-000003.jsonl'), `${lines(2000, 3000)}\n{"_time": "2026-12-06T00:01`);
    await writeFile(join(log, 'notes.txt'), 'not a log file');
    const same = await cli(['drift', '--reference', profilePath, '--current', log, '--json']);
    expect(same.code).toBe(0);
    const verdict = JSON.parse(same.stdout) as { current: { rows: number; source: string; files: number }; schema: { changes: unknown[] }; quality: { issues: { check: string }[] } };
    expect(verdict.current).toMatchObject({ rows: 3000, source: 'folder', files: 3 });
    expect(verdict.schema.changes).toEqual([]);
    expect(verdict.quality.issues.map((issue) => issue.check)).toEqual(['incomplete-lines']);
    // Traffic that moved: drift, from the same folder layout.
    const moved = join(dir, 'moved-requests');
    await mkdir(moved, { recursive: true });
    await writeFile(join(moved, 'requests-000001.jsonl'), `${lines(0, 3000, 400)}\n`);
    const drifted = await cli(['drift', '--reference', profilePath, '--current', moved]);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/dataset drift: 2 of 3 columns drifted .*: a, c/);
  }, 60_000);

  test("live traffic: the folder the endpoint's own request log writes (rotated files) is checked as one batch", async () => {
    const folder = join(dir, 'endpoint-log', 'requests');
    // The local endpoint's writer; closing it after each batch starts a new file, as a restart does.
    const log = new RequestLog(folder, DEFAULT_REQUEST_LOG);
    for (let batch = 0; batch < 5; batch++) {
      const instances = Array.from({ length: 600 }, (_, k) => {
        const i = batch * 600 + k;
        return { a: (i * 7919) % 1000, b: i % 3 === 0 ? 'x' : 'y', c: (i * 31) % 97 };
      });
      log.record({ version: 'v1', method: 'POST', path: '/predict', status: 200, requestType: 'application/json', request: Buffer.from(JSON.stringify({ instances })), responseType: 'application/json', response: Buffer.from(JSON.stringify({ predictions: instances.map((row) => row.a % 10) })) });
      await log.close();
    }
    const files = await readdir(folder);
    expect(files).toHaveLength(5);
    const checked = await cli(['drift', '--reference', profilePath, '--current', folder, '--json', '--no-record']);
    expect(checked.code).toBe(0);
    const verdict = JSON.parse(checked.stdout) as { current: { rows: number; files: number }; schema: { changes: unknown[] }; dataset: { columns: number } };
    expect(verdict.current).toMatchObject({ rows: 3000, files: 5 });
    expect(verdict.schema.changes).toEqual([]);
    expect(verdict.dataset.columns).toBe(3);
  }, 60_000);
});
