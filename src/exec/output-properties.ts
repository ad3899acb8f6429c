/**
 * Output properties (FORMAT.md §8 "Output file properties"): Valohai reads two kinds of sidecar files
 * from the outputs folder and attaches them to the outputs as metadata, instead of uploading them:
 * - `valohai.metadata.jsonl` at the outputs root, lines `{"file": "<relpath>", "metadata": {...}}`
 *   (what valohai-utils' `valohai.output_properties()` writes, `valohai/output_properties.py`);
 * - `<file>.metadata.json` next to `<file>`, a JSON object.
 * A later line or sidecar for the same file merges over an earlier one. A sidecar whose file does not
 * exist stays an ordinary output (it may be a real JSON output) and is reported.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getErrorMessage } from '../util/errors.js';
import type { OutputFile } from './types.js';

export const PROPERTIES_JSONL = 'valohai.metadata.jsonl';
const SIDECAR_SUFFIX = '.metadata.json';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The outputs with the sidecars taken out and their content set as `properties` of the files they
 * describe. Problems (a malformed line, a property for a file that does not exist) are warnings.
 */
export async function applyOutputProperties(outputsDir: string, outputs: OutputFile[], warn: (message: string) => void): Promise<OutputFile[]> {
  const byPath = new Map(outputs.map((output) => [output.path, output]));
  const properties = new Map<string, Record<string, unknown>>();
  const sidecars = new Set<string>();
  const merge = (file: string, values: Record<string, unknown>): void => {
    properties.set(file, { ...(properties.get(file) ?? {}), ...values });
  };

  if (byPath.has(PROPERTIES_JSONL)) {
    sidecars.add(PROPERTIES_JSONL);
    let text = '';
    try {
      text = await readFile(join(outputsDir, PROPERTIES_JSONL), 'utf8');
    } catch (error) {
      warn(`Could not read ${PROPERTIES_JSONL}: ${getErrorMessage(error)}`);
    }
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        warn(`${PROPERTIES_JSONL} line ${index + 1} is not JSON; ignored.`);
        return;
      }
      if (!isObject(parsed) || typeof parsed['file'] !== 'string' || !isObject(parsed['metadata'])) {
        warn(`${PROPERTIES_JSONL} line ${index + 1} is not {"file": "...", "metadata": {...}}; ignored.`);
        return;
      }
      const file = parsed['file'].replace(/^\.\//, '');
      if (!byPath.has(file)) {
        warn(`${PROPERTIES_JSONL} line ${index + 1} describes ${file}, which is not an output; ignored.`);
        return;
      }
      merge(file, parsed['metadata']);
    });
  }

  for (const output of outputs) {
    if (!output.path.endsWith(SIDECAR_SUFFIX)) continue;
    const described = output.path.slice(0, -SIDECAR_SUFFIX.length);
    if (!byPath.has(described) || described === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(outputsDir, output.path), 'utf8'));
    } catch (error) {
      warn(`${output.path} looks like the properties of ${described} but is not JSON (${getErrorMessage(error)}); kept as an output.`);
      continue;
    }
    if (!isObject(parsed)) {
      warn(`${output.path} looks like the properties of ${described} but is not a JSON object; kept as an output.`);
      continue;
    }
    sidecars.add(output.path);
    merge(described, parsed);
  }

  return outputs
    .filter((output) => !sidecars.has(output.path))
    .map((output) => {
      const found = properties.get(output.path);
      return found === undefined ? output : { ...output, properties: found };
    });
}
