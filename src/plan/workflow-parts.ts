/**
 * Pieces shared by the generated workflows (`mlops compile`) and the workflow templates.
 */
import { stringify } from 'yaml';

/** actions/checkout pinned by full commit SHA; the version rides along as a YAML comment. */
export const CHECKOUT_ACTION = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683';
export const CHECKOUT_VERSION = 'v4.2.2';

/**
 * One training run per workflow and ref at a time. A new push to a pull request makes the running one
 * obsolete; runs on the default branch (pushes, `repository_dispatch` retrains, manual runs) all finish in
 * order. GitHub keeps only one pending run per group by default and cancels the older pending one, which
 * would silently drop a queued retrain behind a later push: `queue: max` keeps every pending run.
 */
export const CONCURRENCY = {
  group: 'mlops-${{ github.workflow }}-${{ github.ref }}',
  'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
  queue: 'max',
};

/**
 * What starts a training run: pushes to the default branch and pull requests into it, by hand, or a
 * retraining request. Only the default branch is pushed on: a push to a pull request's branch in this
 * repository would otherwise run once for `push` and once for `pull_request`, and every other branch and
 * tag would train too. `branch` is the default branch, or `$default-branch` in a starter workflow (GitHub
 * substitutes it only there; `mlops init` writes the real name).
 */
export function trainingTriggers(branch: string, options: { dispatchInputs?: boolean } = {}): Record<string, unknown> {
  return {
    push: { branches: [branch] },
    pull_request: { branches: [branch] },
    // `mlops trigger --event-type mlops-train` (e.g. from the monitor action on drift) starts a retraining;
    // its client_payload may carry `pipeline` and `parameters`.
    repository_dispatch: { types: ['mlops-train'] },
    workflow_dispatch: {
      inputs: {
        ...(options.dispatchInputs === false
          ? {}
          : { pipeline: { description: 'Pipeline to run (empty: MLOPS_PIPELINE)', type: 'string', required: false, default: '' } }),
        parameters: {
          description: 'Pipeline parameters: JSON object, or name=value lines',
          type: 'string',
          required: false,
          default: '',
        },
      },
    },
  };
}

/** The branch a starter workflow names; GitHub replaces it with the repository's default branch. */
export const STARTER_DEFAULT_BRANCH = '$default-branch';

/** Minutes a job may take before GitHub cancels it (its own default is 360: a hung job would burn six hours). */
export const JOB_TIMEOUT_MINUTES = { plan: 15, compare: 30, report: 15 } as const;

/**
 * A node job's limit: the repository variable MLOPS_NODE_TIMEOUT_MINUTES, else 120. Jobs whose step has a
 * `time-limit` get that plus a margin instead (in `mlops compile`, which knows each job's step).
 */
export const NODE_TIMEOUT_MINUTES = "${{ fromJSON(vars.MLOPS_NODE_TIMEOUT_MINUTES || '120') }}";

export const CHECKOUT_STEP = {
  name: 'Check out the repository',
  uses: CHECKOUT_ACTION,
  with: { 'persist-credentials': false },
};

/** GitHub shows at most 100 characters of a job name. */
export const MAX_JOB_NAME_LENGTH = 100;

export function jobDisplayName(name: string): string {
  return name.length <= MAX_JOB_NAME_LENGTH ? name : `${name.slice(0, MAX_JOB_NAME_LENGTH - 1)}…`;
}

/**
 * YAML text of a workflow, with the pinned versions of third-party actions as trailing comments;
 * `pins` adds more (`uses:` value → comment), e.g. this toolkit's actions pinned by SHA.
 */
export function workflowYaml(header: string, workflow: unknown, pins: Record<string, string> = {}): string {
  let body = stringify(workflow, { lineWidth: 0, aliasDuplicateObjects: false });
  for (const [uses, comment] of Object.entries({ [CHECKOUT_ACTION]: CHECKOUT_VERSION, ...pins })) {
    body = body.replaceAll(`uses: ${uses}\n`, `uses: ${uses} # ${comment}\n`);
  }
  const comment = header
    .split('\n')
    .map((line) => (line === '' ? '#' : `# ${line}`))
    .join('\n');
  return `${comment}\n${body}`;
}
