/** GitHub's rule for job ids. */
export const JOB_ID_PATTERN = /^[_a-zA-Z][a-zA-Z0-9_-]*$/;
const MAX_JOB_ID_LENGTH = 90;

/**
 * Valid, unique job ids for `names`, in order: invalid characters become `_`, a leading digit or dash
 * gets a `_` prefix, and clashes (compared case-insensitively, as GitHub resolves `needs`) get `-2`, `-3`…
 */
export function safeJobIds(names: readonly string[], reserved: readonly string[] = []): string[] {
  const taken = new Set(reserved.map((r) => r.toLowerCase()));
  return names.map((name) => {
    let base = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX_JOB_ID_LENGTH);
    if (!/^[_a-zA-Z]/.test(base)) base = `_${base}`;
    let id = base;
    for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${base}-${n}`;
    taken.add(id.toLowerCase());
    return id;
  });
}
