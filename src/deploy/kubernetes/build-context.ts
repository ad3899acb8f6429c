/**
 * The code reaches the pod: an endpoint runs repository code (`node examples/digits/serve.mjs`, a WSGI
 * module), so its image must hold the repository at the deployed commit. `mlops deploy --target kubernetes`
 * writes a build context: the files git tracks at that commit (`git archive`, so nothing untracked, ignored
 * or uncommitted leaks into the image) and a Dockerfile FROM the endpoint's image that puts them in WORKDIR,
 * runs as a numeric non-root user and starts the server command bound to 0.0.0.0. The deploy workflow builds
 * and pushes it (docker/build-push-action) and deploys by digest; `--image REF` skips all of this.
 *
 * The Dockerfile uses only FROM, WORKDIR, COPY, USER, ENV, EXPOSE and CMD: what every builder reads the
 * same way, and what the test registry of the Kubernetes tier interprets.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigurationError } from '../../util/errors.js';
import type { DeployRequest } from '../model.js';
import type { KubernetesOptions } from './options.js';
import { podServerScript } from './pod.js';

const run = promisify(execFile);

/** Where the repository is inside the server image. */
export const APP_DIR = '/app';

export interface ServerImageContext {
  dir: string;
  /** `<image-repository>:<commit>`: where the workflow pushes it (it deploys the pushed digest). */
  reference?: string;
  commit: string;
  dockerfile: string;
}

/** The full commit `rev` names in the repository at `repositoryDir` (a user error when it names none). */
export async function resolveCommit(repositoryDir: string, rev = 'HEAD'): Promise<string> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: repositoryDir, env: { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' } });
    const commit = stdout.trim();
    if (/^[0-9a-f]{40,64}$/.test(commit)) return commit;
  } catch {
    // falls through to the message below
  }
  throw new ConfigurationError(`cannot find commit '${rev}' in the git repository at ${repositoryDir}; the server image is built from the files git tracks at the deployed commit (or give --image REF)`);
}

/** The server image's Dockerfile (the JSON form of CMD: no shell parses it a second time). */
export function serverDockerfile(request: DeployRequest, options: Pick<KubernetesOptions, 'runAsUser'>, commit: string): string {
  const port = request.endpoint.port;
  return [
    `# Server image of endpoint ${request.endpoint.name}: the repository at commit ${commit}.`,
    '# Written by `mlops deploy --target kubernetes`; built and pushed by the deploy workflow.',
    `FROM ${request.endpoint.image}`,
    `WORKDIR ${APP_DIR}`,
    `COPY repo/ ${APP_DIR}/`,
    `USER ${options.runAsUser}:${options.runAsUser}`,
    'ENV HOST=0.0.0.0',
    `ENV PORT=${port}`,
    'ENV HOME=/tmp',
    `EXPOSE ${port}`,
    `CMD ${JSON.stringify(['/bin/sh', '-c', podServerScript(request.endpoint)])}`,
    '',
  ].join('\n');
}

/** `git archive <commit> | tar -x -C <dir>`: exactly the tracked files at that commit. */
async function extractCommit(repositoryDir: string, commit: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', commit], { cwd: repositoryDir, stdio: ['ignore', 'pipe', 'pipe'] });
    const tar = spawn('tar', ['-x', '-f', '-', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    archive.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    tar.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    archive.stdout.pipe(tar.stdin);
    let pending = 2;
    let failed = false;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0 && !failed) {
        failed = true;
        reject(new ConfigurationError(`${what} failed (exit ${String(code)}): ${errors.trim().slice(0, 500)}`));
      }
      if (--pending === 0 && !failed) resolve();
    };
    archive.on('error', reject);
    tar.on('error', reject);
    archive.on('close', done(`git archive ${commit}`));
    tar.on('close', done('tar -x'));
  });
}

/**
 * Writes the server image's build context into `dir` (replaced when it exists): `Dockerfile` and `repo/`
 * (the tracked files at `commit`), through a sibling temp folder renamed into place.
 */
export async function writeServerBuildContext(request: DeployRequest, options: Pick<KubernetesOptions, 'runAsUser' | 'imageRepository'>, repositoryDir: string, commit: string, dir: string): Promise<ServerImageContext> {
  const full = await resolveCommit(repositoryDir, commit);
  // `git archive` run in a subfolder archives only that subfolder: run it at the top of the work tree.
  const top = (await run('git', ['rev-parse', '--show-toplevel'], { cwd: repositoryDir })).stdout.trim() || repositoryDir;
  const dockerfile = serverDockerfile(request, options, full);
  const temp = `${dir}.partial-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  try {
    await extractCommit(top, full, join(temp, 'repo'));
    await writeFile(join(temp, 'Dockerfile'), dockerfile);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dirname(dir), { recursive: true });
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  return { dir, commit: full, dockerfile, ...(options.imageRepository ? { reference: `${options.imageRepository}:${full}` } : {}) };
}
