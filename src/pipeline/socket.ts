import type { EdgeType, Socket } from './model.js';

export const EDGE_TYPES: readonly EdgeType[] = [
  'output',
  'input',
  'parameter',
  'metadata',
  'file',
  'deployment',
  'environment-variable',
  'dependency',
];

/** Plural spellings used by Valohai's docs and real files (FORMAT §3.3); accepted as the singular. */
export const PLURAL_EDGE_TYPES: Readonly<Record<string, EdgeType>> = {
  outputs: 'output',
  inputs: 'input',
  parameters: 'parameter',
};

export interface ParsedSocket {
  node: string;
  /** The type as written (may be plural or unknown). */
  rawType: string;
  key: string;
}

export class SocketSyntaxError extends Error {
  override name = 'SocketSyntaxError';
}

/**
 * Splits `<node>.<type>.<key>` on the first two dots, like Python's `str.split(".", 2)`: node names and
 * types cannot contain dots, keys can (`model.pb`, `predict-digit.model`).
 */
export function parseSocket(text: string): ParsedSocket {
  const first = text.indexOf('.');
  const second = first === -1 ? -1 : text.indexOf('.', first + 1);
  if (first === -1 || second === -1) {
    const parts = first === -1 ? 1 : 2;
    throw new SocketSyntaxError(`socket \`${text}\` must have 3 parts \`<node>.<type>.<key>\` (it has ${parts})`);
  }
  return { node: text.slice(0, first), rawType: text.slice(first + 1, second), key: text.slice(second + 1) };
}

/** The canonical edge type for a written type, or undefined when it is not one. */
export function normaliseEdgeType(rawType: string): { type: EdgeType; plural: boolean } | undefined {
  if ((EDGE_TYPES as readonly string[]).includes(rawType)) return { type: rawType as EdgeType, plural: false };
  const singular = PLURAL_EDGE_TYPES[rawType];
  return singular ? { type: singular, plural: true } : undefined;
}

export function formatSocket(socket: Socket): string {
  return `${socket.node}.${socket.type}.${socket.key}`;
}
