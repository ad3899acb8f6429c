/**
 * Where a generated workflow finds this toolkit's actions. A copied or generated workflow runs in the
 * user's repository, where `uses: ./actions/plan` does not exist ("Can't find 'action.yml'"): it must name
 * the published repository and a ref, `OWNER/mlops-actions/actions/plan@v1`. Only this repository's own
 * tests use the local form (`./actions/plan`).
 */
import { ConfigurationError } from '../util/errors.js';

/** The published toolkit: its repository on GitHub and the major-version tag its users follow. */
export const PUBLISHED_ACTION_REPOSITORY = 'mlops-actions/mlops-actions';
export const PUBLISHED_ACTION_VERSION = 'v1';
export const DEFAULT_ACTION_REF = `${PUBLISHED_ACTION_REPOSITORY}@${PUBLISHED_ACTION_VERSION}`;

/** A parsed `--action-ref`: the repository (or `.` for this checkout) and the ref (a tag, branch or SHA). */
export interface ActionRef {
  /** `owner/name`, or `.` for the actions of the repository the workflow runs in (this toolkit's tests). */
  repository: string;
  /** Tag, branch or full commit SHA; empty for `.`. */
  ref: string;
  /** The ref is a full 40-hex commit SHA: immutable, the recommended way to pin a third-party action. */
  pinned: boolean;
  /** The version a SHA stands for, written beside it as a comment (`@<sha> # v1.2.0`). */
  comment?: string;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const SHA = /^[0-9a-f]{40}$/;

/**
 * Parses `OWNER/REPO@REF`, `OWNER/REPO@SHA`, `OWNER/REPO@SHA#VERSION` (the version as the pin's comment)
 * or `.` (local actions, for a workflow inside this repository).
 */
export function parseActionRef(text: string): ActionRef {
  const value = text.trim();
  if (value === '.' || value === './') return { repository: '.', ref: '', pinned: false };
  const at = value.lastIndexOf('@');
  const repository = at < 0 ? value : value.slice(0, at);
  const rest = at < 0 ? '' : value.slice(at + 1);
  const [ref = '', comment] = rest.split('#', 2).map((part) => part.trim());
  if (!REPOSITORY.test(repository) || ref === '' || /\s/.test(ref) || ref.includes('${{')) {
    throw new ConfigurationError(
      `action ref "${text}" is not OWNER/REPO@REF (e.g. ${DEFAULT_ACTION_REF}, or OWNER/REPO@<40-hex commit SHA> to pin it)`,
    );
  }
  if (/^[0-9a-f]{7,39}$/.test(ref)) {
    throw new ConfigurationError(`action ref "${text}": a commit must be given as its full 40-character SHA; GitHub does not resolve short SHAs in uses:`);
  }
  const pinned = SHA.test(ref);
  return { repository, ref, pinned, ...(pinned && comment ? { comment } : {}) };
}

/** The `uses:` value of one of the toolkit's actions (`plan`, `run-node`, …; `''` for the root action). */
export function actionUses(actionRef: ActionRef, name: string): string {
  if (actionRef.repository === '.') return name === '' ? './' : `./actions/${name}`;
  const path = name === '' ? actionRef.repository : `${actionRef.repository}/actions/${name}`;
  return `${path}@${actionRef.ref}`;
}

/** The ref as the user writes it back (`OWNER/REPO@REF`), e.g. for a regenerate command. */
export function formatActionRef(actionRef: ActionRef): string {
  if (actionRef.repository === '.') return '.';
  return `${actionRef.repository}@${actionRef.ref}${actionRef.comment ? `#${actionRef.comment}` : ''}`;
}

/** Trailing YAML comment of a pinned `uses:` line, so a reader sees which version the SHA is. */
export function pinComment(actionRef: ActionRef): string | undefined {
  if (!actionRef.pinned) return undefined;
  return actionRef.comment ?? 'pinned commit';
}
