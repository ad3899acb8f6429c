import { createHash } from 'node:crypto';

/**
 * Artifact names of node outputs, without the `--attempt-<n>` suffix that the uploader adds (the run
 * attempt is only known inside the job). One place for planning and for `src/adapters/artifacts.ts`, and
 * free of the artifact client so that planning does not load it.
 */
const UNSAFE_NAME_CHARACTERS = /[^A-Za-z0-9._-]+/g;
const MAX_NAME_PART_LENGTH = 60;

function nameSlug(value: string): string {
  const slug = value.replace(UNSAFE_NAME_CHARACTERS, '_').replace(/^[._]+|[._]+$/g, '');
  return (slug === '' ? '_' : slug).slice(0, MAX_NAME_PART_LENGTH);
}

/** Execution id of a node's variant: the node name, or `<node>.<index>` for task variants (node names have no dots). */
export function variantExecutionId(node: string, variantIndex?: number): string {
  return variantIndex === undefined ? node : `${node}.${variantIndex}`;
}

/**
 * Base name of the artifact a node (and task variant) uploads; the uploader appends
 * `--attempt-<GITHUB_RUN_ATTEMPT>` and a downloader takes the highest attempt present.
 */
export function nodeArtifactBaseName(pipeline: string, node: string, variantIndex?: number): string {
  return artifactBaseName(pipeline, node, variantIndex === undefined ? undefined : variantExecutionId(node, variantIndex));
}

/**
 * Readable slugs plus a hash of the exact names, so two nodes whose names slug alike ("a/b", "a:b")
 * still get different artifacts. Only `[A-Za-z0-9._-]` appear, which GitHub accepts on every platform.
 */
export function artifactBaseName(pipeline: string, node: string, variant?: string): string {
  const identity = createHash('sha256')
    .update(JSON.stringify([pipeline, node, variant ?? null]))
    .digest('hex')
    .slice(0, 10);
  const parts = ['mlops', nameSlug(pipeline), nameSlug(node)];
  if (variant !== undefined) parts.push(nameSlug(variant));
  return `${parts.join('--')}--${identity}`;
}
