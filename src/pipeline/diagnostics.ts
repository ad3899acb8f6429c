import type { Diagnostic, Severity, SourcePosition } from './model.js';

/** `file:line:col: error: message (hint: …)`, the shape compilers and editors understand. */
export function formatDiagnostic(d: Diagnostic): string {
  const { file, line, col } = d.position;
  const hint = d.hint ? ` (hint: ${d.hint})` : '';
  return `${file}:${line}:${col}: ${d.severity}: ${d.message}${hint}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Collects diagnostics in the order they are found. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  add(severity: Severity, code: string, position: SourcePosition, message: string, hint?: string): void {
    const diagnostic: Diagnostic = { severity, code, message, position };
    if (hint) diagnostic.hint = hint;
    this.items.push(diagnostic);
  }

  error(code: string, position: SourcePosition, message: string, hint?: string): void {
    this.add('error', code, position, message, hint);
  }

  warning(code: string, position: SourcePosition, message: string, hint?: string): void {
    this.add('warning', code, position, message, hint);
  }

  get hasErrors(): boolean {
    return hasErrors(this.items);
  }
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

/** The closest candidate when it is close enough to be a plausible typo. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= allowed && bestDistance < word.length ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = closestMatch(word, candidates);
  return match === undefined ? undefined : `did you mean \`${match}\`?`;
}
