/**
 * What an execution leaves behind, as the run records store it. These types sit in the store layer because
 * run records (store/runs.ts) and everything above them read them; the executor (exec/types.ts) re-exports
 * them for its callers.
 */
export type ExecutionStatus = 'succeeded' | 'failed' | 'timed-out' | 'stopped' | 'cancelled';

export interface OutputFile {
  /** Relative to `outputs/`, `/`-separated. */
  path: string;
  size: number;
  sha256: string;
  /** Output properties from `valohai.metadata.jsonl` / `<file>.metadata.json` (output-properties.ts). */
  properties?: Record<string, unknown>;
}

export interface MetadataEvent {
  /** ISO-8601 UTC time the line was read (`_time`, unless the program printed its own). */
  time: string;
  values: Record<string, unknown>;
}
