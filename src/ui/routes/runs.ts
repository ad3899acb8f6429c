/**
 * Runs: the list, one run with its graph and stored decision, live node states (server-sent events),
 * streaming logs and output downloads. Everything is read through src/store (the journal replayed, so a
 * running run shows its latest state) and the content store (every download re-hashed before it is sent).
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { readStoredDecision } from '../../compare/compare.js';
import type { ExecutionRecord, NodeRecord, RunRecord } from '../../store/runs.js';
import { listRuns, loadRun, projectPaths, runDir } from '../../store/runs.js';
import { ContentStore, hashFile } from '../../store/content-store.js';
import { loadPipelineFile } from '../../pipeline/load.js';
import { getErrorMessage } from '../../util/errors.js';
import type { GraphEdge, GraphNode, RunDetail, RunSummary } from '../api-types.js';
import { HttpError, route, startEventStream, type Route, type RouteContext } from '../http.js';
import { FolderWatch } from '../watch.js';


/**
 * The run's pipeline file as a path to open: records may hold it relative to where `mlops run` was
 * started (the repository, normally), so a relative one is taken from the repository folder.
 */
export function pipelineFileOf(run: RunRecord): string {
  return isAbsolute(run.file) || !run.request?.repositoryDir ? run.file : resolve(run.request.repositoryDir, run.file);
}

export function summarise(run: RunRecord, decision?: RunSummary['decision']): RunSummary {
  const nodes = Object.values(run.nodes);
  const states: RunSummary['states'] = {};
  for (const node of nodes) states[node.state] = (states[node.state] ?? 0) + 1;
  return {
    id: run.id,
    pipeline: run.pipeline,
    status: run.status,
    createdAt: run.createdAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    ...(run.reason ? { reason: run.reason } : {}),
    ...(run.startedBy ? { startedBy: run.startedBy } : {}),
    ...(run.commit ? { commit: run.commit } : {}),
    nodes: nodes.length,
    states,
    executions: nodes.reduce((n, node) => n + node.executions.filter((e) => !e.reusedFrom).length, 0),
    reused: nodes.reduce((n, node) => n + node.executions.filter((e) => e.reusedFrom).length, 0),
    ...(decision ? { decision } : {}),
  };
}

async function decisionOf(projectDir: string, runId: string): Promise<Awaited<ReturnType<typeof readStoredDecision>>> {
  try {
    return await readStoredDecision(projectDir, runId);
  } catch {
    // A damaged compare.json must not hide the run; the run page says the decision is unreadable.
    return undefined;
  }
}

/**
 * The run's graph: the pipeline file's nodes and edges when the file still declares this pipeline
 * with the same nodes; otherwise the edges recorded in the run (an output's sha256 arriving as an input).
 */
export async function runGraph(run: RunRecord): Promise<RunDetail['graph']> {
  const names = Object.keys(run.nodes);
  try {
    const loaded = await loadPipelineFile(pipelineFileOf(run));
    const pipeline = loaded.config?.pipelines.get(run.pipeline);
    if (pipeline && pipeline.nodes.length === names.length && pipeline.nodes.every((n) => names.includes(n.name))) {
      const nodes: GraphNode[] = pipeline.nodes.map((n) => ({ name: n.name, type: n.type, ...('step' in n && typeof n.step === 'string' ? { step: n.step } : {}) }));
      const merged = new Map<string, GraphEdge>();
      for (const edge of pipeline.edges) {
        const key = `${edge.source.node}\u0000${edge.target.node}`;
        const label = `${edge.source.key} → ${edge.target.key}`;
        const existing = merged.get(key);
        if (existing) existing.label += `, ${label}`;
        else merged.set(key, { from: edge.source.node, to: edge.target.node, label });
      }
      return { nodes, edges: [...merged.values()], source: 'pipeline-file' };
    }
  } catch {
    // the file moved or no longer parses: fall back to the record
  }
  const producers = new Map<string, { node: string; path: string }>();
  for (const [name, node] of Object.entries(run.nodes)) {
    for (const execution of node.executions) for (const output of execution.outputs) producers.set(output.sha256, { node: name, path: output.path });
  }
  const merged = new Map<string, GraphEdge>();
  for (const [name, node] of Object.entries(run.nodes)) {
    for (const execution of node.executions) {
      for (const [input, files] of Object.entries(execution.inputs ?? {})) {
        for (const file of files) {
          const producer = file.sha256 === undefined ? undefined : producers.get(file.sha256);
          if (!producer || producer.node === name) continue;
          const key = `${producer.node}\u0000${name}`;
          if (!merged.has(key)) merged.set(key, { from: producer.node, to: name, label: `${producer.path} → ${input}` });
        }
      }
    }
  }
  for (const deployment of run.deployments ?? []) {
    for (const file of deployment.files) {
      const key = `${file.from.node}\u0000${deployment.node}`;
      if (!merged.has(key)) merged.set(key, { from: file.from.node, to: deployment.node, label: `${file.from.path} → ${file.endpoint}.${file.name}` });
    }
  }
  const nodes: GraphNode[] = Object.entries(run.nodes).map(([name, node]) => ({ name, type: node.type ?? 'execution' }));
  return { nodes, edges: [...merged.values()], source: 'recorded-files' };
}

function findExecution(run: RunRecord, executionId: string): { node: string; record: NodeRecord; execution: ExecutionRecord } {
  for (const [node, record] of Object.entries(run.nodes)) {
    const execution = record.executions.find((e) => e.executionId === executionId);
    if (execution) return { node, record, execution };
  }
  throw new HttpError(404, `run ${run.id} has no execution ${executionId}`);
}

function isFinished(run: RunRecord): boolean {
  return run.status !== 'running';
}

async function listRunSummaries({ projectDir }: RouteContext): Promise<RunSummary[]> {
  const runs = await listRuns(projectDir);
  const summaries: RunSummary[] = [];
  for (const run of runs.reverse()) summaries.push(summarise(run, (await decisionOf(projectDir, run.id))?.decision));
  return summaries;
}

async function runDetail({ projectDir, params }: RouteContext): Promise<RunDetail> {
  const run = await loadRun(projectDir, params['id'] ?? '');
  const decision = await decisionOf(projectDir, run.id);
  return { run, summary: summarise(run, decision?.decision), graph: await runGraph(run), ...(decision ? { decision } : {}) };
}

/** Keeps idle connections from being closed by anything in between. */
const KEEP_ALIVE_MS = 15_000;

/**
 * `run` events with the whole record whenever it changes, until the run has ended (then `end`): the run's
 * folder (snapshot and journal) is watched, and read again when it changes.
 */
async function runEvents(context: RouteContext): Promise<void> {
  const { projectDir, params, response, closed } = context;
  let run = await loadRun(projectDir, params['id'] ?? '');
  const watcher = new FolderWatch([runDir(projectDir, run.id)], context.watch);
  const stream = startEventStream(response);
  let last = '';
  let gone = false;
  void closed.then(() => {
    gone = true;
  });
  let quietSince = Date.now();
  try {
    while (!gone) {
      const text = JSON.stringify(run);
      if (text !== last) {
        last = text;
        quietSince = Date.now();
        stream.send('run', run);
      } else if (Date.now() - quietSince >= KEEP_ALIVE_MS) {
        stream.comment('still here');
        quietSince = Date.now();
      }
      if (isFinished(run)) {
        stream.send('end', { status: run.status });
        break;
      }
      await watcher.next(closed);
      if (gone) break;
      try {
        run = await loadRun(projectDir, run.id);
      } catch (error) {
        stream.send('problem', { error: getErrorMessage(error) });
        break;
      }
    }
  } finally {
    watcher.close();
  }
  response.end();
}

const LOG_CHUNK = 256 * 1024;

/** The log as `log` events of new text (from `?offset=`), following the file while the execution runs. */
async function logEvents(context: RouteContext): Promise<void> {
  const { projectDir, params, response, closed, url } = context;
  let run = await loadRun(projectDir, params['id'] ?? '');
  const { execution } = findExecution(run, params['execution'] ?? '');
  const path = execution.logPath;
  let offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
  const stream = startEventStream(response);
  let gone = false;
  void closed.then(() => {
    gone = true;
  });
  const decoder = new TextDecoder('utf-8');
  // The log's folder and the run's (an execution that ends is recorded there).
  const watcher = new FolderWatch([dirname(path), runDir(projectDir, run.id)], context.watch);
  try {
    while (!gone) {
      let size = 0;
      try {
        size = (await stat(path)).size;
      } catch {
        size = 0;
      }
      if (size > offset) {
        const handle = await open(path, 'r');
        try {
          while (offset < size && !gone) {
            const buffer = Buffer.alloc(Math.min(LOG_CHUNK, size - offset));
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
            if (bytesRead === 0) break;
            offset += bytesRead;
            stream.send('log', { text: decoder.decode(buffer.subarray(0, bytesRead), { stream: true }), offset });
          }
        } finally {
          await handle.close();
        }
      }
      const current = findExecution(run, execution.executionId).execution;
      if (current.status !== 'running' || isFinished(run)) {
        stream.send('end', { status: current.status, offset });
        break;
      }
      await watcher.next(closed);
      run = await loadRun(projectDir, run.id).catch(() => run);
    }
  } finally {
    watcher.close();
  }
  response.end();
}

function contentDisposition(path: string): string {
  const name = path.split('/').pop() ?? 'output';
  return `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** One output file from the content store, re-hashed first: damaged bytes are never handed out. */
async function downloadOutput(context: RouteContext): Promise<void> {
  const { projectDir, params, response } = context;
  const run = await loadRun(projectDir, params['id'] ?? '');
  const { execution } = findExecution(run, params['execution'] ?? '');
  const wanted = params['path'] ?? '';
  const output = execution.outputs.find((o) => o.path === wanted);
  if (!output) throw new HttpError(404, `execution ${execution.executionId} has no output ${wanted}`);
  const store = new ContentStore(projectPaths(projectDir).storeDir);
  if (!(await store.has(output.sha256))) throw new HttpError(410, `the content store no longer has ${wanted} (sha256 ${output.sha256}); it may have been collected`);
  const file = store.pathOf(output.sha256);
  const actual = await hashFile(file);
  if (actual.sha256 !== output.sha256) throw new HttpError(500, `${wanted}: the stored bytes hash to ${actual.sha256}, not the recorded ${output.sha256}; the store is damaged`);
  response.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': actual.size,
    'content-disposition': contentDisposition(wanted),
    'x-content-sha256': output.sha256,
    'cache-control': 'no-store',
  });
  await new Promise<void>((resolve, reject) => {
    const source = createReadStream(file);
    source.once('error', reject);
    response.once('close', () => resolve());
    source.pipe(response);
  });
}

export const runRoutes: Route[] = [
  route('GET', '/api/runs', listRunSummaries),
  route('GET', '/api/runs/:id', runDetail),
  route('GET', '/api/runs/:id/events', runEvents),
  route('GET', '/api/runs/:id/executions/:execution/log', logEvents),
  route('GET', '/api/runs/:id/executions/:execution/outputs/:path*', downloadOutput),
];
