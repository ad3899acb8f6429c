/**
 * Image outputs of the compared executions in the pull request comment (issue 15 item 4): which are
 * picked, the checks before hosting (sha256 of the run record, PNG signature, SVGs without scripts or
 * outside references), and the report action end to end on a real local run of examples/digits (whose
 * evaluation step writes confusion-matrix.svg), with the real Octokit against the OpenAPI-checked fake
 * GitHub and its per-permission tokens: hosted inline on the image branch, or names and checksums in text.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run as runReport } from '../../src/actions/report/main.js';
import type { StoredDecision } from '../../src/compare/compare.js';
import type { CandidateRow, Selection } from '../../src/compare/rule.js';
import { checkOutputImage, MAX_OUTPUT_IMAGES, pictureFileNames, selectOutputImages, unsafeSvgReason, type OutputImage } from '../../src/report/output-images.js';
import { ContentStore } from '../../src/store/content-store.js';
import { FakeGitHub } from '../support/github-api-server.js';

const exec = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../..');
const tsxLoader = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
const sha = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

function row(node: string, rank: number | undefined, outputs: string[], extra: Partial<CandidateRow> = {}): CandidateRow {
  return {
    node,
    executionId: `${node}-1`,
    status: 'succeeded',
    parameters: {},
    metrics: {},
    eligible: rank !== undefined,
    ...(rank !== undefined ? { rank } : {}),
    winner: rank === 1,
    outputs: outputs.map((path) => ({ path, sha256: sha(`${node}/${path}`), size: path.startsWith('big') ? 2 * 1024 * 1024 : 100 })),
    ...extra,
  };
}

describe('which image outputs are shown', () => {
  it("the winner's and its upstream's first, then the next two ranked candidates', PNG and SVG only, bounded", () => {
    const winner = row('evaluate-slow', 1, ['evaluation.json', 'confusion-matrix.svg', 'plots/roc.PNG'], {
      upstream: [{ node: 'train-slow', executionId: 'train-slow-1', outputs: [{ path: 'learning-curve.png', sha256: sha('lc'), size: 10 }, { path: 'model.json', sha256: sha('m'), size: 10 }] }],
    });
    const selection = {
      table: [
        row('evaluate-fast', 3, ['confusion-matrix.svg', 'big.png']),
        winner,
        row('evaluate-medium', 2, ['confusion-matrix.svg']),
        row('evaluate-tiny', 4, ['confusion-matrix.svg']),
        row('evaluate-broken', undefined, ['confusion-matrix.svg'], { excluded: 'execution failed' }),
      ],
    } as unknown as Selection;
    const { images, skipped } = selectOutputImages(selection);
    expect(images.map((image) => [image.node, image.path, image.kind, image.role])).toEqual([
      ['evaluate-slow', 'confusion-matrix.svg', 'svg', 'winner'],
      ['evaluate-slow', 'plots/roc.PNG', 'png', 'winner'],
      ['train-slow', 'learning-curve.png', 'png', 'winner'],
      ['evaluate-medium', 'confusion-matrix.svg', 'svg', 'candidate'],
      ['evaluate-fast', 'confusion-matrix.svg', 'svg', 'candidate'],
    ]);
    // A 2 MiB picture is named, not hosted; the fourth-ranked and the excluded candidates are not looked at.
    expect(skipped.map(({ image, reason }) => [image.node, image.path, reason])).toEqual([['evaluate-fast', 'big.png', 'larger than 1024 KiB']]);
  });

  it(`at most ${MAX_OUTPUT_IMAGES} pictures; the same file twice is shown once`, () => {
    const paths = Array.from({ length: 9 }, (_, index) => `plot-${index}.png`);
    const winner = row('w', 1, paths);
    winner.upstream = [{ node: 'w', executionId: 'w-1', outputs: [winner.outputs[0]!] }];
    const { images, skipped } = selectOutputImages({ table: [winner] } as unknown as Selection);
    expect(images).toHaveLength(MAX_OUTPUT_IMAGES);
    expect(skipped.map((entry) => entry.reason)).toEqual(Array(9 - MAX_OUTPUT_IMAGES).fill(`over ${MAX_OUTPUT_IMAGES} pictures`));
  });
});

describe('file names of the pictures on the image branch', () => {
  it('are unique: two variants of a task node with the same output path get -2', () => {
    const image = (executionId: string, path: string): OutputImage => ({ node: 'evaluate', executionId, path, sha256: sha(executionId + path), size: 1, kind: 'svg', role: 'candidate' });
    expect(pictureFileNames([image('evaluate.0', 'plots/cm.svg'), image('evaluate.1', 'plots/cm.svg'), image('evaluate.2', 'report.svg')], ['report.svg'])).toEqual([
      'evaluate--plots--cm.svg',
      'evaluate--plots--cm-2.svg',
      'evaluate--report.svg',
    ]);
  });
});

describe('checks before an image output is hosted', () => {
  const image = (path: string, bytes: Uint8Array | string): [OutputImage, Uint8Array] => {
    const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    return [{ node: 'n', executionId: 'n-1', path, sha256: sha(data), size: data.length, kind: path.endsWith('.png') ? 'png' : 'svg', role: 'winner' }, data];
  };

  it.each([
    ['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'it holds a script'],
    ['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'it holds an event handler attribute'],
    ['<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)">x</a></svg>', 'it holds a javascript: URL'],
    ['<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/></svg>', 'it references https://tracker.example/p.png'],
    ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href=\'//evil.example/s.svg#a\'/></svg>', 'it references //evil.example/s.svg#a'],
    ['<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://x.example/f)"/></svg>', 'it references https://x.example/f in a style'],
    ['<svg xmlns="http://www.w3.org/2000/svg"><style>@import "https://x.example/a.css";</style></svg>', 'it imports a style sheet'],
    ['<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>', 'it holds a foreignObject'],
    ['<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>', 'it declares a DOCTYPE or entities'],
    ['<html><body>not a picture</body></html>', 'not an SVG document'],
  ])('refuses %s', (text, reason) => {
    expect(unsafeSvgReason(text)).toBe(reason);
    expect(checkOutputImage(...image('x.svg', text))).toBe(reason);
  });

  it('accepts a self-contained SVG: internal references, gradients and embedded raster pictures', () => {
    const text =
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">' +
      '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>' +
      '<rect fill="url(#g)" width="10" height="10"/><use xlink:href="#g"/><image href="data:image/png;base64,iVBORw0KGgo="/></svg>';
    expect(checkOutputImage(...image('ok.svg', text))).toBeUndefined();
  });

  it('a PNG must start with the PNG signature', () => {
    expect(checkOutputImage(...image('a.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2])))).toBeUndefined();
    expect(checkOutputImage(...image('a.png', '<svg/>'))).toBe('not a PNG file');
  });

  it('bytes that are not the ones the run record names are an error, never a picture', () => {
    const [record] = image('a.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(() => checkOutputImage(record, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'))).toThrow(
      /output a\.svg of n has sha256 [0-9a-f]{64}, but the run record says [0-9a-f]{64}: not showing a picture the run did not produce/,
    );
  });
});

describe('the report action with the image outputs of a local digits run', () => {
  let dir: string;
  let github: FakeGitHub;
  let decision: StoredDecision;
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();

  function setInputs(inputs: Record<string, string>): void {
    for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
    for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-output-images-'));
    const mlops = async (...args: string[]): Promise<string> =>
      (await exec(process.execPath, ['--import', tsxLoader, join(REPO, 'src/cli/index.ts'), ...args, '--project-dir', join(dir, '.mlops')], { cwd: REPO, env: { ...process.env, CI: 'true' } })).stdout;
    await mlops('run', 'examples/digits/valohai.yaml', '--pipeline', 'train-and-deploy');
    decision = JSON.parse(await mlops('compare', 'examples/digits/valohai.yaml', '--run', 'latest', '--json')) as StoredDecision;
    await writeFile(join(dir, 'event.json'), JSON.stringify({ pull_request: { number: 21 } }));
    process.chdir(dir);
  }, 180_000);

  afterAll(async () => {
    process.chdir(savedCwd);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    github = new FakeGitHub({ owner: 'octo', repo: 'digits' });
    await github.start();
    github.pulls.set(21, { fork: false });
    await writeFile(join(dir, 'summary.md'), '');
    await writeFile(join(dir, 'output.txt'), '');
    Object.assign(process.env, {
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      GITHUB_OUTPUT: join(dir, 'output.txt'),
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'octo/digits',
      GITHUB_RUN_ID: '77',
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
    });
    process.exitCode = undefined;
  });

  afterEach(async () => {
    await github.close();
    expect(github.violations).toEqual([]);
    process.exitCode = undefined;
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  });

  const winnerSvg = (): { node: string; path: string; sha256: string } => {
    const winner = decision.selection.winner;
    const output = winner?.outputs.find((file) => file.path === 'confusion-matrix.svg');
    if (!winner || !output) throw new Error('the digits winner wrote no confusion-matrix.svg');
    return { node: winner.node, path: output.path, sha256: output.sha256 };
  };

  it('hosts the winner’s confusion matrix (and the next candidates’) beside the chart, inline with alt text', async () => {
    const svg = winnerSvg();
    setInputs({ 'github-token': github.issueToken({ contents: 'write', 'pull-requests': 'write' }), run: decision.runId ?? 'latest', 'project-dir': '.mlops' });
    await runReport();
    expect(process.exitCode).toBeUndefined();
    const body = github.comments.get(21)?.[0]?.body ?? '';
    const link = new RegExp(`!\\[${svg.node}: confusion-matrix\\.svg \\(winner\\)\\]\\((https://github\\.com/octo/digits/blob/mlops-report-assets/[^)]+/${svg.node}--confusion-matrix\\.svg)\\?raw=true\\)`);
    const url = link.exec(body)?.[1];
    expect(url, body).toBeDefined();
    // The bytes on the image branch are the run's, by the run record's sha256.
    const path = decodeURIComponent(url?.split('/blob/mlops-report-assets/')[1] ?? '');
    expect(sha(github.git.fileAt('mlops-report-assets', path) ?? Buffer.alloc(0))).toBe(svg.sha256);
    // Two more candidates' matrices, as candidates; three SVG outputs and the chart, four pictures in all.
    expect(body.match(/!\[evaluate-[a-z]+: confusion-matrix\.svg\]\(/g)).toHaveLength(2);
    expect(github.git.pathsAt('mlops-report-assets')).toHaveLength(4);
    expect(github.refusedForPermission).toEqual([]);
  }, 60_000);

  it('without write access (a fork): no pictures, and the comment lists the outputs by name and checksum', async () => {
    const svg = winnerSvg();
    setInputs({ 'github-token': github.issueToken({ contents: 'read', 'pull-requests': 'write' }), run: decision.runId ?? 'latest', 'project-dir': '.mlops' });
    await runReport();
    expect(process.exitCode).toBeUndefined();
    const body = github.comments.get(21)?.[0]?.body ?? '';
    expect(body).not.toContain('?raw=true');
    expect(body).toContain(`- \`${svg.node}/confusion-matrix.svg\` (SVG, `);
    expect(body).toContain(`sha256 \`${svg.sha256}\``);
    expect(github.git.pathsAt('mlops-report-assets')).toEqual([]);
  }, 60_000);

  it('a stored output whose bytes changed since the run fails the step and hosts nothing', async () => {
    const svg = winnerSvg();
    const object = new ContentStore(join(dir, '.mlops/store')).pathOf(svg.sha256);
    const original = await readFile(object);
    await chmod(object, 0o644);
    await writeFile(object, original.toString().replace('</svg>', '<script>alert(1)</script></svg>'));
    try {
      setInputs({ 'github-token': github.issueToken({ contents: 'write', 'pull-requests': 'write' }), run: decision.runId ?? 'latest', 'project-dir': '.mlops' });
      await runReport();
      expect(process.exitCode).toBe(1);
      expect(github.comments.get(21) ?? []).toEqual([]);
      expect(github.git.pathsAt('mlops-report-assets')).toEqual([]);
    } finally {
      await writeFile(object, original);
    }
  }, 60_000);
});
