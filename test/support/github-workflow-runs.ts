/**
 * Workflow runs and their artifacts for the fake GitHub REST API (github-api-server.ts), as GitHub
 * documents them (docs.github.com/rest/actions): `GET …/actions/workflows/{workflow_id}/runs` filtered by
 * `branch`, `status` (a conclusion such as `success`, or a status), `event` and paginated newest first;
 * `GET …/actions/runs/{run_id}/artifacts` (optionally by `name`); `GET …/actions/artifacts/{id}/zip`
 * answering 302 to the blob (410 when expired). The artifacts themselves are those a job of that run
 * uploaded to the artifact service double (artifact-server.ts, blobs in Azurite): a workflow run here
 * names its backend run id there, as GitHub keeps a numeric run id and a backend UUID apart.
 * Requests and responses are checked against the OpenAPI description, and permissions enforced
 * (`actions: read`), by the server.
 */
import type { ArtifactServer } from './artifact-server.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface FakeWorkflowRun {
  id: number;
  runNumber: number;
  /** The workflow file, e.g. `mlops-pipeline.yml` (path `.github/workflows/<file>`). */
  workflow: string;
  headBranch: string;
  headSha: string;
  event: string;
  status: 'completed' | 'in_progress' | 'queued';
  conclusion: 'success' | 'failure' | 'cancelled' | null;
  /** The run's id in the artifact service (`workflow_run_backend_id`). */
  backendRunId: string;
  createdAt: string;
  /** Artifact ids (of the artifact server) that expired: listed with `expired: true`, download 410. */
  expired?: number[];
}

type Reply = (status: number, json: Json | undefined, headers?: Record<string, string>) => void;

export class FakeWorkflowRuns {
  readonly runs: FakeWorkflowRun[] = [];
  /** The artifact service whose artifacts the runs hold; without one, runs have no artifacts. */
  artifactServer: ArtifactServer | undefined;

  constructor(
    private readonly api: () => string,
    private readonly repository: () => { owner: string; repo: string },
    private readonly example: (name: string) => JsonObject,
  ) {}

  add(run: Omit<FakeWorkflowRun, 'createdAt'> & { createdAt?: string }): FakeWorkflowRun {
    const created = { createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, run.runNumber % 60)).toISOString().replace('.000Z', 'Z'), ...run };
    this.runs.push(created);
    return created;
  }

  private runJson(run: FakeWorkflowRun): JsonObject {
    const json = this.example('workflow-run');
    const { owner, repo } = this.repository();
    const api = this.api();
    Object.assign(json, {
      id: run.id,
      node_id: `WFR_${run.id}`,
      name: 'MLOps pipeline',
      head_branch: run.headBranch,
      head_sha: run.headSha,
      path: `.github/workflows/${run.workflow}`,
      display_title: `${run.event} on ${run.headBranch}`,
      run_number: run.runNumber,
      run_attempt: 1,
      event: run.event,
      status: run.status,
      conclusion: run.conclusion,
      url: `${api}/actions/runs/${run.id}`,
      html_url: `https://github.com/${owner}/${repo}/actions/runs/${run.id}`,
      artifacts_url: `${api}/actions/runs/${run.id}/artifacts`,
      created_at: run.createdAt,
      updated_at: run.createdAt,
      run_started_at: run.createdAt,
      pull_requests: [],
    });
    return json;
  }

  private artifactsOf(run: FakeWorkflowRun): { id: number; name: string; size: number; digest?: string; createdAt: string; expired: boolean }[] {
    return (this.artifactServer?.artifactDetails(run.backendRunId) ?? []).map((artifact) => ({ ...artifact, expired: run.expired?.includes(artifact.id) ?? false }));
  }

  /** Answers the request when it is one of these endpoints; true when answered. */
  handle(template: string, method: string, url: URL, params: Record<string, string>, reply: Reply): boolean {
    if (method !== 'GET') return false;
    const api = this.api();
    const notFound = (): true => {
      reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/actions' });
      return true;
    };
    if (template === '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs') {
      const workflow = params['workflow_id'] ?? '';
      const branch = url.searchParams.get('branch');
      const status = url.searchParams.get('status');
      const event = url.searchParams.get('event');
      const matching = this.runs
        .filter((run) => run.workflow === workflow)
        .filter((run) => branch === null || run.headBranch === branch)
        .filter((run) => event === null || run.event === event)
        .filter((run) => status === null || run.status === status || run.conclusion === status)
        .sort((a, b) => b.id - a.id);
      if (!this.runs.some((run) => run.workflow === workflow) && !/\.ya?ml$/.test(workflow)) return notFound();
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? '30'), 100);
      const page = Number(url.searchParams.get('page') ?? '1');
      reply(200, { total_count: matching.length, workflow_runs: matching.slice((page - 1) * perPage, page * perPage).map((run) => this.runJson(run)) });
      return true;
    }
    if (template === '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts') {
      const run = this.runs.find((candidate) => String(candidate.id) === params['run_id']);
      if (!run) return notFound();
      const name = url.searchParams.get('name');
      const artifacts = this.artifactsOf(run).filter((artifact) => name === null || artifact.name === name);
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? '30'), 100);
      const page = Number(url.searchParams.get('page') ?? '1');
      reply(200, {
        total_count: artifacts.length,
        artifacts: artifacts.slice((page - 1) * perPage, page * perPage).map((artifact) => ({
          id: artifact.id,
          node_id: `A_${artifact.id}`,
          name: artifact.name,
          size_in_bytes: artifact.size,
          url: `${api}/actions/artifacts/${artifact.id}`,
          archive_download_url: `${api}/actions/artifacts/${artifact.id}/zip`,
          expired: artifact.expired,
          created_at: artifact.createdAt,
          expires_at: artifact.createdAt,
          updated_at: artifact.createdAt,
          digest: artifact.digest ?? null,
          workflow_run: { id: run.id, repository_id: 1, head_repository_id: 1, head_branch: run.headBranch, head_sha: run.headSha },
        })),
      });
      return true;
    }
    if (template === '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}') {
      if (params['archive_format'] !== 'zip') return notFound();
      const id = Number(params['artifact_id']);
      const run = this.runs.find((candidate) => this.artifactsOf(candidate).some((artifact) => artifact.id === id));
      const artifact = run ? this.artifactsOf(run).find((candidate) => candidate.id === id) : undefined;
      if (!run || !artifact || !this.artifactServer) return notFound();
      if (artifact.expired) {
        reply(410, { message: 'Artifact has expired', documentation_url: 'https://docs.github.com/rest/actions/artifacts#download-an-artifact' });
        return true;
      }
      reply(302, undefined, { location: this.artifactServer.signedDownloadUrl(run.backendRunId, id) });
      return true;
    }
    return false;
  }
}
