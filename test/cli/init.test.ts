// `mlops init` in fresh git repositories, driven as a real process from the sources; the workflows it
// writes are read with GitHub's own parser.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEGIN_MARKER, END_MARKER } from '../../src/plan/init-workflows.js';
import { parseWorkflowText } from '../workflows/workflow-parser.js';

const exec = promisify(execFile);
const REPO = join(import.meta.dirname, '../..');
const tsxLoader = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
const SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
let scratch: string;

async function mlops(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', tsxLoader, join(REPO, 'src/cli/index.ts'), ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** A fresh repository whose unborn branch is `branch`, holding the digits pipeline file at its root. */
async function freshRepository(branch: string): Promise<string> {
  const dir = await mkdtemp(join(scratch, 'repo-'));
  await exec('git', ['init', '-q', '-b', branch], { cwd: dir });
  await cp(join(REPO, 'examples/digits/valohai.yaml'), join(dir, 'valohai.yaml'));
  return dir;
}

/** Every `uses:` of a workflow text. */
function usesOf(text: string): string[] {
  return [...text.matchAll(/^\s*(?:- )?uses: (\S+)/gm)].map((match) => match[1] ?? '');
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mlops-init-'));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('mlops init', () => {
  it('writes a workflow GitHub parses, for the file, its pipeline, the branch git names and the published actions', async () => {
    const repo = await freshRepository('trunk');
    const result = await mlops(repo, 'init');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('default branch: trunk');
    expect(result.stderr).toContain('also declares batch-inference');
    const files = await readdir(join(repo, '.github/workflows'));
    expect(files).toEqual(['mlops-pipeline-train-and-deploy.yml']);
    const text = await readFile(join(repo, '.github/workflows', files[0] ?? ''), 'utf8');
    const { errors, needs } = await parseWorkflowText(files[0] ?? '', text);
    expect(errors).toEqual([]);
    expect(needs.get('report')).toEqual(['plan', 'compare']);
    expect(text).not.toContain('./actions/');
    expect(text).not.toContain('$default-branch');
    const workflow = parse(text) as { name: string; on: Record<string, { branches?: string[] }>; env: Record<string, string>; permissions: Record<string, string> };
    expect(workflow.name).toBe('MLOps train-and-deploy');
    expect(workflow.on['push']?.branches).toEqual(['trunk']);
    expect(workflow.on['pull_request']?.branches).toEqual(['trunk']);
    // The model compared with on pull requests is the pipeline's deployment (digits@production).
    expect(workflow.env).toEqual({ MLOPS_FILE: 'valohai.yaml', MLOPS_PIPELINE: 'train-and-deploy', MLOPS_MODEL: 'digits' });
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const toolkit = usesOf(text).filter((uses) => !uses.startsWith('actions/checkout@'));
    expect(toolkit.length).toBeGreaterThan(3);
    for (const uses of toolkit) expect(uses).toMatch(/^mlops-actions\/mlops-actions\/actions\/[a-z-]+@v1$/);
    // Running it again changes nothing.
    const again = await mlops(repo, 'init');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('is up to date');
    expect(await readFile(join(repo, '.github/workflows', files[0] ?? ''), 'utf8')).toBe(text);
  }, 120_000);

  it('rewrites only its block on a re-run: user lines above and jobs below the markers stay, settings are kept', async () => {
    const repo = await freshRepository('main');
    const path = join(repo, '.github/workflows/mlops-pipeline-batch-inference.yml');
    expect((await mlops(repo, 'init', 'valohai.yaml', '--pipeline', 'batch-inference', '--default-branch', 'release')).code).toBe(0);
    const written = await readFile(path, 'utf8');
    const userTop = '# Our team: ping #ml-ops when this fails.\nrun-name: nightly ${{ github.ref_name }}\n';
    const userJob = '  notify:\n    needs: [compare]\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo done\n';
    await writeFile(path, `${userTop}${written}${userJob}`);

    // Pin the toolkit by SHA: only the block changes, and the default branch given before is kept.
    const pinned = await mlops(repo, 'init', '--action-ref', `mlops-actions/mlops-actions@${SHA}#v1.4.2`);
    expect(pinned.code, pinned.stderr).toBe(0);
    const text = await readFile(path, 'utf8');
    expect(text.startsWith(userTop)).toBe(true);
    expect(text.endsWith(`${END_MARKER}\n${userJob}`)).toBe(true);
    expect(text).toContain(BEGIN_MARKER);
    for (const uses of usesOf(text).filter((u) => u.startsWith('mlops-actions/'))) expect(uses).toMatch(new RegExp(`@${SHA}$`));
    expect(text).toMatch(new RegExp(`uses: mlops-actions/mlops-actions/actions/plan@${SHA} # v1\\.4\\.2\\n`));
    const { errors, needs } = await parseWorkflowText('edited.yml', text);
    expect(errors).toEqual([]);
    expect(needs.get('notify')).toEqual(['compare']);
    const workflow = parse(text) as { 'run-name': string; on: Record<string, { branches?: string[] }>; env: Record<string, string> };
    expect(workflow['run-name']).toBe('nightly ${{ github.ref_name }}');
    expect(workflow.on['push']?.branches).toEqual(['release']);
    expect(workflow.env['MLOPS_PIPELINE']).toBe('batch-inference');
  }, 120_000);

  it('refuses to replace a workflow it did not write, a short SHA, a missing pipeline and a folder outside git', async () => {
    const repo = await freshRepository('main');
    await writeFile(join(repo, 'README.md'), 'x');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(repo, '.github/workflows'), { recursive: true });
    await writeFile(join(repo, '.github/workflows/mlops-pipeline-train-and-deploy.yml'), 'name: mine\n');
    const clash = await mlops(repo, 'init');
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain('exists and was not written by mlops init');
    expect(await readFile(join(repo, '.github/workflows/mlops-pipeline-train-and-deploy.yml'), 'utf8')).toBe('name: mine\n');

    const short = await mlops(repo, 'init', '--pipeline', 'batch-inference', '--action-ref', 'o/r@c0ffee0');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('full 40-character SHA');
    const missing = await mlops(repo, 'init', '--pipeline', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('has no pipeline "nope"; its pipelines: train-and-deploy, batch-inference');

    const outside = await mkdtemp(join(scratch, 'not-a-repo-'));
    await cp(join(REPO, 'examples/digits/valohai.yaml'), join(outside, 'valohai.yaml'));
    const noGit = await mlops(outside, 'init');
    expect(noGit.code).toBe(1);
    expect(noGit.stderr).toContain('run it inside one (git init first)');
    for (const result of [clash, short, missing, noGit]) expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 180_000);

  it('--single-job writes the root action workflow', async () => {
    const repo = await freshRepository('main');
    expect((await mlops(repo, 'init', '--single-job', '--action-ref', 'acme/mlops-actions@v2')).code).toBe(0);
    const text = await readFile(join(repo, '.github/workflows/mlops-job-train-and-deploy.yml'), 'utf8');
    expect((await parseWorkflowText('single.yml', text)).errors).toEqual([]);
    expect(usesOf(text)).toContain('acme/mlops-actions@v2');
  });
});
