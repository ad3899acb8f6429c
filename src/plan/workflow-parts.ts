/**
 * Pieces shared by the generated workflows (`mlops compile`) and the workflow templates.
 */
import { stringify } from 'yaml';

/** actions/checkout pinned by full commit SHA; the version rides along as a YAML comment. */
export const CHECKOUT_ACTION = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683';
export const CHECKOUT_VERSION = 'v4.2.2';

export const CONCURRENCY = {
  group: 'mlops-${{ github.workflow }}-${{ github.ref }}',
  // A new push to a pull request makes the running one obsolete; runs on branches finish.
  'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
};

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

/** YAML text of a workflow, with the pinned versions of third-party actions as trailing comments. */
export function workflowYaml(header: string, workflow: unknown): string {
  const body = stringify(workflow, { lineWidth: 0, aliasDuplicateObjects: false }).replaceAll(
    `uses: ${CHECKOUT_ACTION}\n`,
    `uses: ${CHECKOUT_ACTION} # ${CHECKOUT_VERSION}\n`,
  );
  const comment = header
    .split('\n')
    .map((line) => (line === '' ? '#' : `# ${line}`))
    .join('\n');
  return `${comment}\n${body}`;
}
