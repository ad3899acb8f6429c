import { Scalar, type ScalarTag, type Tags } from 'yaml';

/**
 * Tags that make the `yaml` package (YAML 1.1 mode) read scalars the way PyYAML's `safe_load` does,
 * which is what valohai-yaml uses (FORMAT §1.1).
 */

const FLOAT_TAG = 'tag:yaml.org,2002:float';
const BOOL_TAG = 'tag:yaml.org,2002:bool';
const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';

/** Marks scalars PyYAML would read as a date/datetime; we keep their text (see `pyTimestamp`). */
export const TIMESTAMP_FORMAT = 'PY-TIMESTAMP';

/** PyYAML's float resolver: a `.` is required and an exponent needs a sign, so `1e-4` is no float. */
const pyFloat: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: FLOAT_TAG,
  test: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  resolve(text: string) {
    const clean = text.replace(/_/g, '');
    const lower = clean.toLowerCase();
    let value: number;
    if (lower.endsWith('.nan')) value = NaN;
    else if (lower.endsWith('.inf')) value = clean.startsWith('-') ? -Infinity : Infinity;
    else value = Number.parseFloat(clean);
    const node = new Scalar(value);
    // Keep "this was written as a float" for Python-style rendering (`20.0` stays `20.0`).
    const dot = clean.indexOf('.');
    if (dot !== -1) node.minFractionDigits = Math.max(1, clean.slice(dot + 1).replace(/[eE].*$/, '').length);
    return node;
  },
};

const pyTrue: ScalarTag = {
  identify: (value) => value === true,
  default: true,
  tag: BOOL_TAG,
  test: /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
  resolve: () => true,
};

const pyFalse: ScalarTag = {
  identify: (value) => value === false,
  default: true,
  tag: BOOL_TAG,
  test: /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
  resolve: () => false,
};

/** PyYAML turns these into `datetime`; we keep the text but remember what PyYAML would have done. */
const pyTimestamp: ScalarTag = {
  identify: () => false,
  default: true,
  tag: TIMESTAMP_TAG,
  format: TIMESTAMP_FORMAT,
  test: /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  resolve: (text: string) => text,
};

function isReplaced(tag: Tags[number]): boolean {
  if (typeof tag !== 'object' || !('tag' in tag)) return false;
  if (tag.tag === TIMESTAMP_TAG || tag.tag === BOOL_TAG) return true;
  // Keep the sexagesimal float (`1:30.5`), which PyYAML also reads; replace the others.
  return tag.tag === FLOAT_TAG && (tag as ScalarTag).format !== 'TIME';
}

/** `customTags` for `parseDocument` with `version: '1.1'`. */
export function pyYamlTags(tags: Tags): Tags {
  return [...tags.filter((tag) => !isReplaced(tag)), pyTrue, pyFalse, pyFloat, pyTimestamp];
}
