import { FileTooLargeError, readFileBounded } from '../util/bounded-read.js';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Alias, type Document, type Node } from 'yaml';
import { ConfigBuilder, itemKind } from './build.js';
import { DiagnosticSink } from './diagnostics.js';
import type { LoadResult } from './model.js';
import { checkSchema } from './schema-check.js';
import { checkSemantics } from './semantic.js';
import { keyText, SourceMap } from './source.js';
import { pyYamlTags } from './yaml-dialect.js';

/** 50× the largest known valohai.yaml (~10 KB). The `yaml` parser reads ~1 MB/s, so this keeps any load well under a second. */
export const MAX_FILE_BYTES = 512 * 1024;
/** Deeper than any sensible pipeline file; stops pathological nesting before recursion does. */
export const MAX_NESTING_DEPTH = 64;

function positionOfOffset(text: string, offset: number, file: string) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { file, line, col: offset - lineStart + 1 };
}

/** Index of the first control character YAML forbids (or a U+FFFD from a lossy decode), or -1. */
function firstBinaryChar(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0b && code !== 0x0c) || code === 0xfffd) return i;
  }
  return -1;
}

/** Nesting depth of flow collections, counted cheaply before parsing (block nesting is bounded by indentation). */
function flowDepthProblem(text: string): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\n') quote = undefined;
      continue;
    }
    if (ch === '#') {
      const end = text.indexOf('\n', i);
      if (end === -1) break;
      i = end;
    } else if (ch === '"' || ch === "'") {
      // Only a quote that starts a scalar opens a string; `don't` inside plain text does not.
      const previous = text[i - 1];
      if (previous === undefined || /[\s[{,:]/.test(previous)) quote = ch;
    } else if (ch === '[' || ch === '{') {
      depth++;
      if (depth > MAX_NESTING_DEPTH) return i;
    } else if (ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** Block nesting depth of the parsed document, without recursion. */
function deepestNode(root: Node | null): Node | undefined {
  if (!root) return undefined;
  const stack: [Node, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [Node, number];
    if (depth > MAX_NESTING_DEPTH) return node;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        const child = isPair(item) ? item.value : item;
        if (child && typeof child === 'object' && 'range' in child) stack.push([child as Node, depth + 1]);
      }
    }
  }
  return undefined;
}

/**
 * One pre-order walk of the document (the order `visit` would take, keys before values): calls `duplicate`
 * for every repeated mapping key after the first, and returns the first alias that resolves to no anchor.
 */
function walkDocument(doc: Document, duplicate: (key: Node, name: string) => void): Alias | undefined {
  let unresolved: Alias | undefined;
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const name = keyText(pair.key);
        if (seen.has(name) && pair.key && typeof pair.key === 'object' && 'range' in pair.key) duplicate(pair.key as Node, name);
        seen.add(name);
      }
      for (const pair of node.items) {
        walk(pair.key);
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    } else if (isPair(node)) {
      walk(node.key);
      walk(node.value);
    } else if (isAlias(node)) {
      if (!unresolved && node.resolve(doc) === undefined) unresolved = node;
    }
  };
  walk(doc.contents);
  return unresolved;
}

/** Plain data from `doc.toJS()`: turns !!set/!!omap/!!binary results into JSON-like values. */
function plain(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), plain(v)]));
  if (value instanceof Set) return [...value].map(plain);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) result[k] = plain(v);
    return result;
  }
  return value;
}

/** Loads pipeline YAML text. Never throws for bad input: everything is a diagnostic with line:col. */
export function loadPipelineText(text: string, file: string): LoadResult {
  const sink = new DiagnosticSink();
  const fail = (code: string, position: { file: string; line: number; col: number }, message: string, hint?: string): LoadResult => {
    sink.error(code, position, message, hint);
    return { diagnostics: sink.items };
  };
  const start = { file, line: 1, col: 1 };
  // Length in UTF-16 units is at most the UTF-8 byte count, so this cheap test comes first.
  if (text.length > MAX_FILE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) {
    return tooLarge(Buffer.byteLength(text, 'utf8'), file);
  }
  const binary = firstBinaryChar(text);
  if (binary !== -1) {
    return fail('binary', positionOfOffset(text, binary, file), 'file contains binary data or invalid UTF-8, not YAML text', 'check that the path names the pipeline file and that it is saved as UTF-8');
  }
  const deepFlow = flowDepthProblem(text);
  if (deepFlow !== undefined) {
    return fail('too-deep', positionOfOffset(text, deepFlow, file), `document is nested more than ${MAX_NESTING_DEPTH} levels deep`, 'flatten the structure; pipeline files need only a few levels');
  }

  const lineCounter = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, {
      version: '1.1',
      uniqueKeys: false,
      customTags: pyYamlTags,
      lineCounter,
      prettyErrors: false,
      keepSourceTokens: false,
    });
  } catch (error) {
    // The parser reports problems as doc.errors; a throw here means something pathological (e.g. stack depth).
    return fail('yaml-syntax', start, `could not parse YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const source = new SourceMap(doc, lineCounter, file);
  const firstError = doc.errors[0];
  if (firstError) {
    const offset = firstError.pos[0];
    const message = firstError.message.split('\n')[0] ?? firstError.message;
    let hint: string | undefined;
    if (/tab/i.test(message) || text.slice(Math.max(0, offset - 40), offset + 1).includes('\t')) {
      hint = 'YAML does not allow tabs for indentation; use spaces';
    } else if (firstError.code === 'BAD_INDENT' || /indent/i.test(message)) {
      hint = 'check the indentation of this line against the lines above';
    } else if (firstError.code === 'MULTIPLE_DOCS') {
      hint = 'a pipeline file is one YAML document; remove the extra `---`';
    }
    if (firstError.code === 'BLOCK_AS_IMPLICIT_KEY' || firstError.code === 'MULTILINE_IMPLICIT_KEY') {
      // The `yaml` package blames the value before a wrongly indented line; point at that line instead.
      const lineEnd = text.indexOf('\n', offset);
      const next = lineEnd === -1 ? undefined : /[^\s]/.exec(text.slice(lineEnd + 1));
      const at = next ? lineEnd + 1 + next.index : offset;
      return fail('yaml-syntax', source.at(at), 'YAML syntax error: bad indentation: this line is indented deeper than the key above it, which already has a value', 'indent keys of the same mapping to the same column');
    }
    return fail('yaml-syntax', source.at(offset), `YAML syntax error: ${message.replace(/ at line \d+, column \d+:?$/, '')}`, hint);
  }
  for (const warning of doc.warnings) {
    sink.warning('yaml-warning', source.at(warning.pos[0]), warning.message.split('\n')[0] ?? warning.message);
  }
  const deep = deepestNode(doc.contents as Node | null);
  if (deep) {
    return fail('too-deep', source.at(deep.range?.[0] ?? 0), `document is nested more than ${MAX_NESTING_DEPTH} levels deep`, 'flatten the structure; pipeline files need only a few levels');
  }

  // Duplicate keys (PyYAML keeps the last one silently; we keep the last one and say so) and the first
  // alias that names no anchor, found in one walk of the document.
  const unresolved = walkDocument(doc, (keyNode, name) => {
    sink.warning('duplicate-key', source.at(keyNode.range?.[0] ?? 0), `duplicate key \`${name}\`; the last one wins (as in PyYAML), the earlier value is ignored`, 'remove or merge the duplicate key');
  });
  if (unresolved) {
    return fail('yaml-syntax', source.at(unresolved.range?.[0] ?? 0), `YAML syntax error: alias \`*${unresolved.source}\` refers to no anchor`, 'define `&name` on a value before using `*name`');
  }

  let data: unknown;
  try {
    data = plain(doc.toJS({ maxAliasCount: 1000 }));
  } catch (error) {
    return fail('yaml-syntax', start, `could not load YAML: ${error instanceof Error ? error.message : String(error)}`, 'check aliases (`*name`): they may expand too much or point at nothing');
  }

  // Empty file (or only comments): an empty configuration, as in valohai-yaml.
  if (data === null || data === undefined) {
    const builder = new ConfigBuilder(source, sink);
    return { config: builder.build([]), diagnostics: sink.items };
  }
  if (!Array.isArray(data)) {
    const contents = doc.contents;
    const what = isMap(contents) ? 'a mapping' : isScalar(contents) ? 'a single value' : 'not a list';
    return fail('not-a-list', source.at(contents?.range?.[0] ?? 0), `the top level of a pipeline file must be a list of items (\`- step: …\`), but this is ${what}`, 'start each top-level item with `- ` (e.g. `- step:`)');
  }

  data.forEach((item, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      sink.error('bad-item', source.position([index]), `top-level item #${index + 1} must be a mapping like \`step: {...}\`, not ${Array.isArray(item) ? 'a list' : item === null ? 'empty' : `the value ${String(item)}`}`, 'each item is one of `- step:`, `- pipeline:`, `- endpoint:`, `- task:`, `- deployment:`');
      return;
    }
    const kind = itemKind(item as Record<string, unknown>);
    if (!kind) {
      const keys = Object.keys(item);
      sink.warning('no-parser', source.position([index]), `No parser for ${JSON.stringify(item).slice(0, 80)}: this item is ignored`, keys.length > 0 ? `known item kinds are step, pipeline, endpoint, task, deployment, blueprint, x-mlops (got \`${keys.join('`, `')}\`)` : undefined);
    }
  });
  if (sink.hasErrors) return { diagnostics: sink.items };

  checkSchema(data, source, sink);
  // Like valohai-yaml: schema errors stop here, semantic checks would only add noise.
  if (sink.hasErrors) return { diagnostics: sink.items };

  const builder = new ConfigBuilder(source, sink);
  const config = builder.build(data);
  checkSemantics(config, builder.origins, source, sink);
  if (sink.hasErrors) return { diagnostics: sink.items };
  return { config, diagnostics: sink.items };
}

/** Reads and loads a pipeline file. I/O failures (missing file…) are diagnostics too. */
export async function loadPipelineFile(path: string): Promise<LoadResult> {
  const start = { file: path, line: 1, col: 1 };
  try {
    // Bounded by bytes read, not stat's size (a FIFO or /dev/zero); non-regular files refused at once.
    let bytes: Buffer;
    try {
      bytes = await readFileBounded(path, MAX_FILE_BYTES);
    } catch (error) {
      if (error instanceof FileTooLargeError) return tooLarge(error.bytes, path, true);
      throw error;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      const bad = firstInvalidUtf8(bytes);
      const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
      const position = positionOfOffset(prefix, prefix.length, path);
      return { diagnostics: [{ severity: 'error', code: 'binary', position, message: 'file contains binary data or invalid UTF-8, not YAML text', hint: 'check that the path names the pipeline file and that it is saved as UTF-8' }] };
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // Old Mac files end lines with CR alone; YAML counts CR as a line break too, so lines stay lines.
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    return loadPipelineText(text, path);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { diagnostics: [{ severity: 'error', code: 'read-failed', position: start, message: `cannot read the pipeline file: ${message}` }] };
  }
}

function tooLarge(bytes: number, file: string, atLeast = false): LoadResult {
  return {
    diagnostics: [
      {
        severity: 'error',
        code: 'file-too-large',
        position: { file, line: 1, col: 1 },
        message: `file is ${atLeast ? 'more than ' : ''}${(bytes / 1024 / 1024).toFixed(1)} MB; pipeline files are limited to ${MAX_FILE_BYTES / 1024} KB`,
        hint: 'is this really a valohai.yaml? Real ones are a few KB',
      },
    ],
  };
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i] ?? 0;
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return i;
}
