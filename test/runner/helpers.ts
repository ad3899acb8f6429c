import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPipelineFile } from '../../src/pipeline/load.js';
import { runPipeline, type RunEvent, type RunPipelineOptions } from '../../src/exec/scheduler.js';
import type { RunRecord } from '../../src/store/runs.js';

export interface Project {
  dir: string;
  file: string;
  projectDir: string;
  cleanup(): Promise<void>;
}

/** A temp folder with a valohai.yaml built from `items` (the top-level list). */
export async function makeProject(items: unknown[]): Promise<Project> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-runner-'));
  const file = join(dir, 'valohai.yaml');
  await writeFile(file, stringify(items));
  return { dir, file, projectDir: join(dir, '.mlops'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function step(name: string, command: string | string[], extra: Record<string, unknown> = {}): unknown {
  return { step: { name, image: 'busybox', command, ...extra } };
}

export async function runIn(
  project: Project,
  pipeline: string,
  extra: Partial<RunPipelineOptions> = {},
): Promise<{ run: RunRecord; events: RunEvent[] }> {
  const loaded = await loadPipelineFile(project.file);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.config || errors.length > 0) throw new Error(`load failed: ${JSON.stringify(errors)}`);
  const events: RunEvent[] = [];
  const run = await runPipeline({
    config: loaded.config,
    pipeline,
    repositoryDir: project.dir,
    projectDir: project.projectDir,
    jobs: 2,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { run, events };
}

/** Executions that really ran (not reused, not cancelled before start). */
export function executed(run: RunRecord): number {
  return Object.values(run.nodes).reduce((n, node) => n + node.executions.filter((e) => !e.reusedFrom).length, 0);
}
