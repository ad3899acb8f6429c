/** A temp project written from raw YAML text (so `2.0` and `1e-4` reach the loader as a user wrote them). */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadPipelineFile } from '../../src/pipeline/load.js';
import { runPipeline, type RunPipelineOptions } from '../../src/exec/scheduler.js';
import type { ExecutionRecord, RunRecord } from '../../src/store/runs.js';

export interface PythonProject {
  dir: string;
  projectDir: string;
  run(pipeline: string, extra?: Partial<RunPipelineOptions>): Promise<RunRecord>;
  /** The config file an execution of `node` found, parsed. */
  config(run: RunRecord, node: string, file: string, index?: number): Promise<unknown>;
  cleanup(): Promise<void>;
}

export async function pythonProject(yaml: string, files: Record<string, string>, options: { git?: boolean } = {}): Promise<PythonProject> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-valohai-'));
  await writeFile(join(dir, 'valohai.yaml'), yaml);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  if (options.git) {
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'ignore' });
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'init');
  }
  const projectDir = join(dir, '.mlops');
  const execution = (run: RunRecord, node: string, index: number): ExecutionRecord => {
    const found = run.nodes[node]?.executions[index];
    if (!found) throw new Error(`no execution ${index} of ${node}`);
    return found;
  };
  return {
    dir,
    projectDir,
    async run(pipeline, extra = {}) {
      const loaded = await loadPipelineFile(join(dir, 'valohai.yaml'));
      const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
      if (!loaded.config || errors.length > 0) throw new Error(`load failed: ${JSON.stringify(errors)}`);
      return runPipeline({ config: loaded.config, pipeline, repositoryDir: dir, projectDir, jobs: 2, reuse: false, ...extra });
    },
    async config(run, node, file, index = 0) {
      const logPath = execution(run, node, index).logPath;
      return JSON.parse(await readFile(join(dirname(logPath), 'config', file), 'utf8')) as unknown;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A node's execution record, failing with the run's reason when it is not there. */
export function executionOf(run: RunRecord, node: string, index = 0): ExecutionRecord {
  const found = run.nodes[node]?.executions[index];
  if (!found) throw new Error(`node ${node} has no execution ${index}; run ${run.status}: ${run.reason ?? ''}`);
  return found;
}
