/**
 * Secret redaction: the values of known secrets are replaced with `***` wherever this toolkit writes
 * text (logs, run records, the reuse index, metadata, compare results, reports, artifacts).
 *
 * Which values are secret:
 * - the runner's own credentials, read from this process's environment on first use: variables whose
 *   name says token, secret, password, credential, private key or API key (`GITHUB_TOKEN`,
 *   `ACTIONS_RUNTIME_TOKEN`, `INPUT_GITHUB-TOKEN`, `AWS_SECRET_ACCESS_KEY`, `HF_TOKEN`, …);
 * - anything passed to `registerSecret` (the actions call it next to `core.setSecret`);
 * - variables the pipeline file declares secret (`x-mlops: environment: secrets:`).
 *
 * Short values are not treated as secrets (a 3-character "secret" would blank out ordinary words);
 * the JSON-escaped spelling of a value is redacted too, so a secret inside a JSON string is caught
 * whether the text is a log line or a serialised record.
 */

export const REDACTED = '***';

/** Values shorter than this are never redacted: they are not credentials and would garble text. */
const MIN_SECRET_LENGTH = 6;

/** Environment names that hold credentials (matched case-insensitively on the whole name). */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE[_-]?KEY|API[_-]?KEY|ACCESS[_-]?KEY|KUBECONFIG|CONNECTION[_-]?STRING|(?:^|[_-])(?:AUTH|SAS|KEY)(?:$|[_-])/i;

const secrets = new Set<string>();
let environmentScanned = false;
let pattern: RegExp | undefined;

/** Whether an environment variable with this name is treated as a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function addValue(value: string): void {
  if (value.length < MIN_SECRET_LENGTH) return;
  const variants = [value, value.trim(), JSON.stringify(value).slice(1, -1)];
  // A multi-line secret (a kubeconfig, a PEM key) is also caught line by line in logs.
  if (value.includes('\n')) variants.push(...value.split(/\r?\n/).map((line) => line.trim()));
  for (const variant of variants) {
    if (variant.length >= MIN_SECRET_LENGTH && !secrets.has(variant)) {
      secrets.add(variant);
      pattern = undefined;
    }
  }
}

/** Treats `value` as a secret from now on in this process. */
export function registerSecret(value: string | undefined): void {
  if (value === undefined) return;
  scanEnvironment();
  addValue(value);
}

/** Registers the values of credential-named variables of `env` (this process's environment by default). */
export function registerEnvironmentSecrets(env: Readonly<NodeJS.ProcessEnv> = process.env): void {
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && isSecretName(name)) addValue(value);
  }
}

function scanEnvironment(): void {
  if (environmentScanned) return;
  environmentScanned = true;
  registerEnvironmentSecrets(process.env);
}

function currentPattern(): RegExp | undefined {
  scanEnvironment();
  if (secrets.size === 0) return undefined;
  // Longest first, so a secret containing another is replaced whole.
  pattern ??= new RegExp([...secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
  return pattern;
}

/** `text` with every known secret replaced by `***`. */
export function redact(text: string): string {
  const re = currentPattern();
  if (re === undefined) return text;
  re.lastIndex = 0;
  return text.replace(re, REDACTED);
}

/** A copy of a JSON-like value with every string (and key) redacted. */
export function redactDeep<T>(value: T): T {
  if (currentPattern() === undefined) return value;
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return redact(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item as Record<string, unknown>).map(([k, v]) => [redact(k), walk(v)]));
    }
    return item;
  };
  return walk(value) as T;
}

/** Whether any secret is known (lets hot paths skip work). */
export function hasSecrets(): boolean {
  return currentPattern() !== undefined;
}

/** For tests: forget every registered secret and scan the environment again on next use. */
export function resetSecretsForTesting(): void {
  secrets.clear();
  pattern = undefined;
  environmentScanned = false;
}
