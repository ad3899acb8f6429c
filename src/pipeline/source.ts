import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourcePosition } from './model.js';

export type PathSegment = string | number;

/** The YAML nodes found for a data path: the value, and the mapping key that holds it (if any). */
export interface Located {
  value?: Node;
  key?: Node;
  /** False when the path does not exist; value/key then describe the nearest enclosing node. */
  found: boolean;
}

/** The text a mapping key turns into in the loaded data (the `yaml` package's own rule). */
export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/**
 * Maps data paths (as in ajv's instancePath) back to YAML nodes and 1-based line:col positions.
 * Duplicate keys resolve to the last one, matching the loaded data (last wins, like PyYAML).
 */
export class SourceMap {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    readonly file: string,
  ) {}

  locate(path: readonly PathSegment[]): Located {
    let value: Node | undefined = (this.doc.contents ?? undefined) as Node | undefined;
    let key: Node | undefined;
    for (const segment of path) {
      value = this.deref(value);
      if (isMap(value)) {
        const pair = value.items.findLast((candidate) => keyText(candidate.key) === String(segment));
        if (!pair) return { value, key, found: false };
        key = isPair(pair) && pair.key && typeof pair.key === 'object' ? (pair.key as Node) : undefined;
        value = (pair.value ?? undefined) as Node | undefined;
        // `key:` with nothing after it: the key is the best place to point at.
        if (!value) return { key, value: undefined, found: segment === path[path.length - 1] };
      } else if (isSeq(value)) {
        const index = typeof segment === 'number' ? segment : Number(segment);
        const item = value.items[index];
        if (!item || typeof item !== 'object') return { value, key, found: false };
        key = undefined;
        value = item as Node;
      } else {
        return { value, key, found: false };
      }
    }
    return { value: this.deref(value), key, found: true };
  }

  private deref(node: Node | undefined): Node | undefined {
    if (node && isAlias(node)) {
      const target = node.resolve(this.doc);
      return (target ?? node) as Node;
    }
    return node;
  }

  has(path: readonly PathSegment[]): boolean {
    return this.locate(path).found;
  }

  /** Position of the value at `path`; falls back to its key, then to the nearest enclosing node. */
  position(path: readonly PathSegment[], prefer: 'value' | 'key' = 'value'): SourcePosition {
    const { value, key } = this.locate(path);
    const emptyValue = value && isScalar(value) && value.value === null && (value.source ?? '') === '';
    const node = prefer === 'key' ? (key ?? value) : emptyValue ? (key ?? value) : (value ?? key);
    return this.at(node?.range?.[0] ?? 0);
  }

  /** Position of a mapping key named `name` inside the object at `path` (for unknown keys). */
  keyPosition(path: readonly PathSegment[], name: string): SourcePosition {
    return this.position([...path, name], 'key');
  }

  at(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line: Math.max(1, line), col: Math.max(1, col) };
  }

  /** The YAML node at `path`, if it is a scalar: lets checks see how a value was written. */
  scalarAt(path: readonly PathSegment[]): { source?: string; type?: string; format?: string } | undefined {
    const { value } = this.locate(path);
    if (!value || !isScalar(value)) return undefined;
    const result: { source?: string; type?: string; format?: string } = {};
    if (value.source !== undefined) result.source = value.source;
    if (value.type !== undefined) result.type = value.type;
    if (value.format !== undefined) result.format = value.format;
    return result;
  }
}
