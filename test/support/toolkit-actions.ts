/**
 * The templates name this toolkit's actions by their published ref (`OWNER/mlops-actions/actions/plan@v1`),
 * as a user's repository must. Tests run them from this checkout: this maps such a `uses:` value (or the
 * local `./actions/plan` form) to the action's folder relative to the repository root.
 */
import { PUBLISHED_ACTION_REPOSITORY } from '../../src/plan/action-ref.js';

/** `actions/<name>` (or `''` for the root action) for a `uses:` of this toolkit, else undefined. */
export function toolkitActionPath(uses: string | undefined): string | undefined {
  if (uses === undefined) return undefined;
  const local = /^\.\/(actions\/[a-z-]+)?$/.exec(uses);
  if (local) return local[1] ?? '';
  const published = new RegExp(`^${PUBLISHED_ACTION_REPOSITORY.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(/actions/[a-z-]+)?@[^\\s@]+$`).exec(uses);
  if (published) return published[1]?.slice(1) ?? '';
  return undefined;
}

/** Whether `uses` is this toolkit's action `name` (e.g. `run-node`), in either form. */
export function isToolkitAction(uses: string | undefined, name: string): boolean {
  return toolkitActionPath(uses) === `actions/${name}`;
}
