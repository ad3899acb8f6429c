/**
 * Running an action's `run()` in this process the way the runner runs a JavaScript action: `INPUT_*`
 * variables (hyphens kept), `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, the workspace as working directory.
 */
import { readFile, writeFile } from 'node:fs/promises';

const savedEnv = new Map<string, string | undefined>();

/** Sets environment variables; `restoreEnv` puts the previous values back. */
export function setEnv(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) {
    if (!savedEnv.has(key)) savedEnv.set(key, process.env[key]);
    process.env[key] = value;
  }
}

export function restoreEnv(): void {
  for (const [key, value] of savedEnv) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  savedEnv.clear();
}

/** Parses the `name<<delimiter` blocks @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match?.[1] || !match[2]) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i] ?? '');
    outputs[match[1]] = value.join('\n');
  }
  return outputs;
}

export interface ActionRun {
  outputs: Record<string, string>;
  summary: string;
  /** Whether the step failed (`core.setFailed` sets the exit code to 1). */
  failed: boolean;
  /** Everything the action printed, workflow commands included. */
  log: string;
}

/**
 * Runs `run` with the given output and summary files and working directory, capturing stdout.
 * The caller sets the `INPUT_*` and runner variables first.
 */
export async function runAction(
  run: () => Promise<void>,
  files: { output: string; summary: string; workspace: string },
): Promise<ActionRun> {
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  setEnv({ GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary });
  const originalCwd = process.cwd();
  process.chdir(files.workspace);
  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  let failed: boolean;
  try {
    process.exitCode = undefined;
    await run();
    failed = process.exitCode === 1;
  } finally {
    process.stdout.write = write;
    process.exitCode = undefined;
    process.chdir(originalCwd);
  }
  return {
    outputs: parseOutputFile(await readFile(files.output, 'utf8')),
    summary: await readFile(files.summary, 'utf8'),
    failed,
    log: printed.join(''),
  };
}

/** The messages of `::error::` commands the action printed. */
export function errorsOf(job: { log: string }): string[] {
  return job.log.split('\n').filter((line) => line.startsWith('::error::')).map((line) => line.slice('::error::'.length));
}
