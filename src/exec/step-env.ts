/**
 * The environment a step (and a model server) starts from: never the runner's whole environment.
 *
 * A step gets
 * - the variables of the allow-list below, taken from the runner's environment when set (what programs
 *   need to run at all: PATH, HOME, locale, time zone, temp folders, proxy and CA settings, Python and
 *   GPU selection);
 * - the variables the pipeline file forwards by name (`x-mlops: environment: forward: [NAME, …]`);
 * - then, added by the executor, the step's `environment-variables`, edge values and the `VH_*` variables.
 *
 * Never passed, not even when forwarded: `ACTIONS_*` (the runner's cache/artifact/OIDC credentials) and
 * `INPUT_*` (the action's inputs, `github-token` among them). `GITHUB_TOKEN` and every other `GITHUB_*`
 * variable is not on the allow-list; a pipeline that needs one forwards it explicitly.
 */
import { ConfigurationError } from '../util/errors.js';
import { isSecretName, registerSecret } from '../util/redact.js';

/** Exact names passed through from the runner's environment when set. */
export const STEP_ENVIRONMENT_ALLOW_LIST: readonly string[] = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TERM',
  'TMPDIR',
  'TMP',
  'TEMP',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'NODE_EXTRA_CA_CERTS',
  'PYTHONPATH',
  'PYTHONUNBUFFERED',
  'VIRTUAL_ENV',
  'CONDA_PREFIX',
  'LD_LIBRARY_PATH',
  'CUDA_VISIBLE_DEVICES',
  'NVIDIA_VISIBLE_DEVICES',
  'OMP_NUM_THREADS',
  'MKL_NUM_THREADS',
  'CI',
  'RUNNER_OS',
  'RUNNER_ARCH',
  'RUNNER_TEMP',
];

/** Name prefixes passed through (locale categories). */
const ALLOWED_PREFIXES = ['LC_'];

/** Never given to a step, not even when a pipeline forwards them. */
const FORBIDDEN_PREFIXES = ['ACTIONS_', 'INPUT_'];

export function isForbiddenStepVariable(name: string): boolean {
  return FORBIDDEN_PREFIXES.some((prefix) => name.toUpperCase().startsWith(prefix));
}

const ALLOWED_NAMES = new Set(STEP_ENVIRONMENT_ALLOW_LIST);

function isAllowed(name: string): boolean {
  return ALLOWED_NAMES.has(name) || ALLOWED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** What a pipeline file asks for (`x-mlops: environment:`). */
export interface EnvironmentPolicy {
  /** Variables passed from the runner's environment to every step, by name. */
  forward: string[];
  /** Variables whose values are redacted wherever written (besides the credential-named ones). */
  secrets: string[];
}

/** The allow-listed part of `source`. */
export function allowListedEnvironment(source: Readonly<NodeJS.ProcessEnv> = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && isAllowed(name) && !isForbiddenStepVariable(name)) env[name] = value;
  }
  return env;
}

/**
 * The forwarded variables present in `source`; a forwarded `ACTIONS_*`/`INPUT_*` name is an error. Their
 * values are registered for redaction when they are declared secret or their name says credential.
 */
export function forwardedEnvironment(policy: EnvironmentPolicy | undefined, source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  if (!policy) return env;
  for (const name of policy.forward) {
    if (isForbiddenStepVariable(name)) {
      throw new ConfigurationError(
        `x-mlops environment.forward: ${name} is the runner's own (ACTIONS_*, INPUT_*) and is never given to a step; remove it`,
      );
    }
    const value = source[name];
    if (value === undefined) continue;
    if (policy.secrets.includes(name) || isSecretName(name)) registerSecret(value);
    env[name] = value;
  }
  for (const name of policy.secrets) registerSecret(source[name]);
  return env;
}

/** Names of forwarded variables whose values must not enter records or keys in the clear. */
export function isSecretVariable(policy: EnvironmentPolicy | undefined, name: string): boolean {
  return isSecretName(name) || (policy?.secrets.includes(name) ?? false);
}

/**
 * The clean environment a process of the user's (a step, a model server) starts from: the allow-list
 * plus the forwarded variables. Callers add their own variables on top.
 */
export function cleanEnvironment(policy?: EnvironmentPolicy, source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return { ...allowListedEnvironment(source), ...forwardedEnvironment(policy, source) };
}

/**
 * The step's environment as the reuse key sees it: a secret by its name only (a rotated token does not
 * change what a step computes, and must not defeat reuse), everything else with its value.
 */
export function environmentForKey(environment: Record<string, string>, policy: EnvironmentPolicy | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    out[name] = isSecretVariable(policy, name) ? '(secret)' : value;
  }
  return out;
}
