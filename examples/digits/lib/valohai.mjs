// The execution contract of a Valohai step (FORMAT.md §8), in the few lines the example needs:
// where inputs and outputs live, how parameters arrive, how metrics are reported.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Root of the inputs: `$VH_INPUTS_DIR`, or `.valohai/inputs` like valohai-utils outside Valohai. */
export function inputsDir() {
  return resolve(process.env.VH_INPUTS_DIR || '.valohai/inputs');
}

/** Folder for outputs, created on demand: `$VH_OUTPUTS_DIR`, or `.valohai/outputs`. */
export function outputsDir() {
  const dir = resolve(process.env.VH_OUTPUTS_DIR || '.valohai/outputs');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every regular file under `dir`, recursively, sorted by relative path so runs are reproducible. */
export function walkFiles(dir) {
  if (!existsSync(dir)) return [];
  const files = [];
  const visit = (current) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) visit(full);
      // Inputs may be materialised as symlinks or hardlinks; follow them to decide what they are.
      else if (entry.isFile() || (entry.isSymbolicLink() && statSync(full).isFile())) files.push(full);
    }
  };
  visit(dir);
  return files.sort((a, b) => relative(dir, a).split(sep).join('/').localeCompare(relative(dir, b).split(sep).join('/')));
}

/**
 * The files of one input. When the input folder is absent (running outside a runner), falls back to
 * `fallback` (a path relative to the working directory), so `node examples/digits/x.mjs` just works.
 */
export function inputFiles(name, fallback) {
  const files = walkFiles(join(inputsDir(), name));
  if (files.length > 0) return files;
  if (fallback && existsSync(fallback)) return [resolve(fallback)];
  throw new UsageError(
    `input '${name}' has no files: expected them under ${join(inputsDir(), name)}` +
      (fallback ? ` (or at ${fallback})` : ''),
  );
}

/** The single file of an input; with several files, the first matching `preferred`, else the first. */
export function inputFile(name, fallback, preferred) {
  const files = inputFiles(name, fallback);
  return (preferred && files.find((file) => preferred.test(file))) || files[0];
}

/** A mistake of the caller (missing input, bad parameter): printed as one line, exit code 1. */
export class UsageError extends Error {}

/**
 * Parses `--name=value` (the default `pass-as`) and bare `--flag` arguments against a spec of
 * `{name: {type: 'float'|'integer'|'string'|'flag', default}}`. Unknown names are errors, so a typo
 * in valohai.yaml does not silently train with a default.
 */
export function parseParameters(spec, argv = process.argv.slice(2)) {
  const values = {};
  for (const [name, { default: value }] of Object.entries(spec)) values[name] = value;
  for (const arg of argv) {
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!match) throw new UsageError(`unexpected argument '${arg}': parameters are passed as --name=value`);
    const [, name, raw] = match;
    const entry = spec[name];
    if (!entry) throw new UsageError(`unknown parameter '${name}'; known: ${Object.keys(spec).join(', ')}`);
    values[name] = castParameter(name, entry.type, raw);
  }
  return values;
}

function castParameter(name, type, raw) {
  if (type === 'flag') {
    if (raw === undefined) return true;
    // Valohai renders Python booleans as True/False.
    return !/^(false|0|no|off)$/i.test(raw);
  }
  if (raw === undefined) throw new UsageError(`parameter '${name}' needs a value: --${name}=VALUE`);
  if (type === 'string') return raw;
  const number = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(number)) {
    throw new UsageError(`parameter '${name}' must be a ${type}, got '${raw}'`);
  }
  if (type === 'integer' && !Number.isInteger(number)) {
    throw new UsageError(`parameter '${name}' must be an integer, got '${raw}'`);
  }
  return number;
}

/** Reports metrics: one JSON object on its own line, which the runner records as metadata. */
export function logMetadata(values) {
  process.stdout.write(`\n${JSON.stringify(values)}\n`);
}

/** Writes a file into the outputs folder atomically (temp file + rename), returns its path. */
export function writeOutput(name, content) {
  const target = join(outputsDir(), name);
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, target);
  return target;
}

export function sha256File(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Runs a step's main function; user mistakes become one line on stderr and exit code 1. */
export function runStep(main) {
  Promise.resolve()
    .then(main)
    .catch((error) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`error: ${message}\n`);
      if (!(error instanceof UsageError) && error instanceof Error && error.stack) {
        process.stderr.write(`${error.stack}\n`);
      }
      process.exitCode = 1;
    });
}
