/**
 * The JSON the UI server answers, shared (as types only) by the server's routes and the browser code.
 * Records are passed through as the library functions return them (run records, registry versions,
 * endpoint states, drift verdicts); these types only add what the pages need around them.
 */
import type { Selection, SelectionRule } from '../compare/rule.js';
import type { Baseline } from '../compare/candidates.js';
import type { StoredDecision } from '../compare/compare.js';
import type { AliasEvent, AliasTable, ModelVersion } from '../registry/model.js';
import type { EndpointState } from '../deploy/local/manager.js';
import type { DriftVerdict } from '../monitor/drift.js';
import type { ColumnDistribution } from '../monitor/distribution.js';
import type { RunRecord, RunStatus, NodeState } from '../store/runs.js';

export type { RunRecord, RunStatus, NodeState, Selection, SelectionRule, Baseline, StoredDecision, AliasEvent, AliasTable, ModelVersion, EndpointState, DriftVerdict };

/** Every error answer: one message a person can act on; `bug` when it is not the user's doing. */
export interface ApiError {
  error: string;
  bug?: boolean;
}

export interface ProjectInfo {
  projectDir: string;
  runs: number;
  models: number;
  endpoints: number;
  monitoring: number;
  /** Whether promote/rollback are allowed from this UI (always, unless started with --read-only). */
  writable: boolean;
}

export interface RunSummary {
  id: string;
  pipeline: string;
  status: RunStatus;
  createdAt: string;
  finishedAt?: string;
  reason?: string;
  /** Who started it and at which commit, when the record says. */
  startedBy?: string;
  commit?: string;
  nodes: number;
  /** Node states, counted. */
  states: Partial<Record<NodeState, number>>;
  executions: number;
  reused: number;
  /** The stored compare decision, when `mlops compare --run` (or the action) made one. */
  decision?: StoredDecision['decision'];
}

export interface GraphNode {
  name: string;
  type: 'execution' | 'task' | 'deployment';
  step?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** `train.csv → train`, for the edge's title. */
  label: string;
}

export interface RunDetail {
  run: RunRecord;
  summary: RunSummary;
  graph: { nodes: GraphNode[]; edges: GraphEdge[]; source: 'pipeline-file' | 'recorded-files' };
  decision?: StoredDecision;
}

export interface CompareCandidateRef {
  runId: string;
  node: string;
  executionId: string;
}

export interface CompareResult {
  runs: { id: string; pipeline: string; status: string }[];
  rule: SelectionRule;
  /** Where the rule came from: the pipeline file of the first run, or the defaults of the request. */
  ruleSource: string;
  baseline?: Baseline;
  selection: Selection;
  /** Candidate name in the table → the run and execution it is. */
  refs: Record<string, CompareCandidateRef>;
}

export interface ModelInfo {
  name: string;
  versions: ModelVersion[];
  aliases: AliasTable;
  history: AliasEvent[];
}

export interface EndpointMetrics {
  /** Requests answered, by version label and status code (cumulative since the proxy started). */
  requests: { version: string; code: string; count: number }[];
  total: number;
  errors: number;
  /** Requests turned away with 503 because every replica was busy and the queue full. */
  rejected?: number;
  /** Per version label (`v3`): its requests, 5xx, latency quantiles and replica gauges. */
  versions: { version: string; requests: number; errors: number; p50?: number; p99?: number; replicas?: number; inFlight?: number; queued?: number }[];
  /** Latency quantiles in seconds, read from the proxy's histogram (upper bucket bound, interpolated). */
  p50?: number;
  p99?: number;
  /** Cumulative latency histogram (`le` in seconds → count). */
  buckets: { le: number; count: number }[];
  activeVersion?: string;
  scrapedAt: string;
}

export interface EndpointInfo {
  state: EndpointState;
  metrics?: EndpointMetrics;
  /** Why there are no metrics (not serving, the proxy did not answer). */
  metricsProblem?: string;
}

export interface EndpointsInfo {
  daemon: boolean;
  endpoints: EndpointInfo[];
}

/** One drift check, from a full verdict file or from one line of a monitoring history. */
export interface MonitoringCheck {
  /** Path below the monitoring folder (`:<line>` for a history line). */
  file: string;
  /** The monitored pipeline (the history's folder name), when known. */
  pipeline?: string;
  /** When the check ran (its own time when recorded, else the file's). */
  at: string;
  drifted: boolean;
  reasons: string[];
  reference: string;
  current: string;
  rows?: number;
  /** Share of feature columns that drifted, and the dataset threshold when known. */
  share: number;
  threshold?: number;
  driftedColumns: number;
  columns: MonitoringColumn[];
  quality: { column: string; message: string }[];
  qualityIssueCount: number;
  performance?: { reference: number; current: number; degraded: boolean };
}

export interface MonitoringInfo {
  folder: string;
  checks: MonitoringCheck[];
  /** Files in the folder that are not drift verdicts, and why they were skipped. */
  skipped: { file: string; problem: string }[];
}

export interface MonitoringColumn {
  column: string;
  method: string;
  score: number;
  threshold: number;
  /** The distance sampling noise reaches at these sizes (distance methods, when the score reached the threshold). */
  noiseThreshold?: number;
  drifted: boolean;
  comparedAs?: string;
  role?: string;
  n_ref?: number;
  n_cur?: number;
  /** Reference and current binned (verdicts from before it and brief history lines have none). */
  distribution?: ColumnDistribution;
}
