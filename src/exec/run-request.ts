/** What a resumed run keeps of the command line that started it. */
import type { RunRecord } from '../store/runs.js';

/** Options of a resumed run as the original command line gave them (the new command line adds approvals). */
export function resumedRequest(run: RunRecord): {
  parameters: Record<string, string>;
  inputs: Record<string, string[]>;
  container?: string;
  reuse: boolean;
  jobs?: number;
} {
  const inputs: Record<string, string[]> = {};
  for (const [key, joined] of Object.entries(run.request?.inputs ?? {})) inputs[key] = joined.split('\n');
  const container = run.request?.container;
  const jobs = run.request?.jobs;
  return {
    parameters: run.request?.parameters ?? {},
    inputs,
    reuse: run.request?.reuse !== false,
    ...(container !== undefined ? { container } : {}),
    ...(jobs !== undefined ? { jobs } : {}),
  };
}
