/**
 * The npm package as a team gets it: `npm pack` of this checkout (the committed bundle, as CI builds it),
 * installed from the tarball into a fresh project that is a fresh git repository, then `mlops init`,
 * `mlops validate` and a small pipeline run from there with the installed `mlops`. The workflows `init`
 * wrote are read with GitHub's own parser. Run by .ci/run as its own step (see vitest.config.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../workflows/workflow-parser.js';

const exec = promisify(execFile);
const REPO = join(import.meta.dirname, '../..');
const NPM_CLI = join(dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js');
let scratch: string;

/** npm as the user runs it (the npm beside this Node when there is one), never touching the network. */
async function npm(cwd: string, ...args: string[]): Promise<string> {
  const [command, prefix] = existsSync(NPM_CLI) ? [process.execPath, [NPM_CLI]] : ['npm', []];
  const { stdout } = await exec(command, [...prefix, ...args], {
    cwd,
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** The installed `mlops` (node_modules/.bin), in a clean environment with only PATH and HOME. */
async function installedMlops(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: [join(cwd, 'node_modules/.bin'), dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter),
    HOME: process.env['HOME'] ?? cwd,
  };
  try {
    const { stdout, stderr } = await exec(join(cwd, 'node_modules/.bin/mlops'), args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const SMALL_PIPELINE = `- step:
    name: produce
    image: node:20-slim
    command: node -e "require('fs').writeFileSync(process.env.VH_OUTPUTS_DIR + '/numbers.txt', '1\\\\n2\\\\n3\\\\n')"
    outputs:
      - name: numbers.txt
- step:
    name: total
    image: node:20-slim
    command:
      - node -e "const fs=require('fs');const t=fs.readFileSync(process.env.VH_INPUTS_DIR + '/numbers/numbers.txt','utf8').trim().split('\\\\n').map(Number).reduce((a,b)=>a+b,0);fs.writeFileSync(process.env.VH_OUTPUTS_DIR + '/total.txt', String(t))"
    inputs:
      - name: numbers
    outputs:
      - name: total.txt
- pipeline:
    name: small
    nodes:
      - name: produce
        type: execution
        step: produce
      - name: total
        type: execution
        step: total
    edges:
      - [produce.output.numbers.txt, total.input.numbers]
`;

beforeAll(async () => {
  if (!existsSync(join(REPO, 'dist/cli/index.js'))) throw new Error('missing dist/cli/index.js: run npm run build');
  scratch = await mkdtemp(join(tmpdir(), 'mlops-package-'));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('packs only the bundled CLI, installs without dependencies and runs init, validate and a pipeline in a fresh repository', async () => {
    const manifest = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['private']).toBeUndefined();
    expect(manifest['dependencies'] ?? {}).toEqual({});
    expect(manifest['bin']).toEqual({ mlops: 'dist/cli/index.js' });

    const packed = JSON.parse(await npm(REPO, 'pack', '--json', '--ignore-scripts', '--pack-destination', scratch)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const [tarball] = packed;
    if (!tarball) throw new Error('npm pack wrote nothing');
    const paths = tarball.files.map((file) => file.path);
    expect(paths).toContain('dist/cli/index.js');
    expect(paths).toContain('dist/cli/package.json');
    expect(paths.filter((path) => !path.startsWith('dist/cli/')).sort()).toEqual(['README.md', 'package.json']);

    // A team's repository: a project of its own, its pipeline file and code, then the package as a dev dependency.
    const project = join(scratch, 'team-repo');
    await mkdir(project);
    await exec('git', ['init', '-q', '-b', 'main'], { cwd: project });
    await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'team-models', private: true, version: '1.0.0' }, null, 2)}\n`);
    await cp(join(REPO, 'examples/digits'), join(project, 'examples/digits'), { recursive: true });
    await writeFile(join(project, 'small.yaml'), SMALL_PIPELINE);
    await npm(project, 'install', '--save-dev', '--offline', '--ignore-scripts', join(scratch, tarball.filename));
    const installed = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    expect(Object.keys(installed.devDependencies ?? {})).toEqual(['mlops-actions']);
    // Nothing but the package itself came along.
    expect((await readdir(join(project, 'node_modules'))).filter((name) => !name.startsWith('.'))).toEqual(['mlops-actions']);

    const version = await installedMlops(project, '--version');
    expect(version.stdout.trim()).toBe(manifest['version']);

    const init = await installedMlops(project, 'init', 'examples/digits/valohai.yaml');
    expect(init.code, init.stderr).toBe(0);
    const workflows = await readdir(join(project, '.github/workflows'));
    expect(workflows).toEqual(['mlops-pipeline-train-and-deploy.yml']);
    for (const file of workflows) {
      const text = await readFile(join(project, '.github/workflows', file), 'utf8');
      const { errors } = await parseWorkflowText(file, text);
      expect(errors, file).toEqual([]);
      expect(text).not.toContain('./actions/');
      expect(text).not.toContain('$default-branch');
      expect(text).toContain('MLOPS_FILE: examples/digits/valohai.yaml');
      expect(text).toMatch(/uses: mlops-actions\/mlops-actions\/actions\/run-node@v1\n/);
    }

    const validate = await installedMlops(project, 'validate', 'examples/digits/valohai.yaml');
    expect(validate.code, validate.stderr).toBe(0);

    const run = await installedMlops(project, 'run', 'small.yaml', '--pipeline', 'small');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const runs = await readdir(join(project, '.mlops/runs'));
    expect(runs).toHaveLength(1);
    const record = JSON.parse(await readFile(join(project, '.mlops/runs', runs[0] ?? '', 'run.json'), 'utf8')) as { status?: string };
    expect(record.status).toBe('succeeded');
    const shown = await installedMlops(project, 'show', 'latest');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('total');
  }, 240_000);
});
