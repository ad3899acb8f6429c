// Checks Mermaid text with Mermaid's own parser (the one GitHub's renderer runs), in a jsdom window.
import { JSDOM } from 'jsdom';

let ready: Promise<{ parse(text: string): Promise<unknown> }> | undefined;

async function load() {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  const scope = globalThis as unknown as Record<string, unknown>;
  scope['window'] ??= dom.window;
  scope['document'] ??= dom.window.document;
  const { default: mermaid } = await import('mermaid');
  return mermaid;
}

/** Resolves to the diagram type (e.g. `flowchart-v2`); rejects with Mermaid's parse error. */
export async function parseMermaid(text: string): Promise<string> {
  ready ??= load();
  const mermaid = await ready;
  const result = (await mermaid.parse(text)) as { diagramType?: string };
  return result.diagramType ?? 'unknown';
}
