import { registerSecret } from '../../util/redact.js';
import * as core from '@actions/core';
import { DEPLOY_STRATEGIES, type DeployStrategy } from '../../deploy/strategy.js';
import { optionalInput, positiveNumberInput } from '../input-parsing.js';
import { ConfigurationError } from '../../util/errors.js';

export const INPUT_OPERATION = 'operation';
export const INPUT_FILE = 'file';
export const INPUT_PROJECT_DIR = 'project-dir';
export const INPUT_RUN = 'run';
export const INPUT_FOLDER = 'folder';
export const INPUT_ENDPOINT = 'endpoint';
export const INPUT_DEPLOYMENT = 'deployment';
export const INPUT_STRATEGY = 'strategy';
export const INPUT_KUBECONFIG = 'kubeconfig';
export const INPUT_CONTEXT = 'context';
export const INPUT_NAMESPACE = 'namespace';
export const INPUT_ARTIFACT_BASE_URL = 'artifact-base-url';
export const INPUT_ROLLOUT_TIMEOUT = 'rollout-timeout-seconds';
export const INPUT_IMAGE = 'image';
export const INPUT_MODEL_IMAGE = 'model-image';
export const INPUT_IMAGE_REPOSITORY = 'image-repository';
export const INPUT_MODEL_IMAGE_REPOSITORY = 'model-image-repository';
export const INPUT_BUILD_CONTEXT = 'build-context';
export const INPUT_SMOKE_URL = 'smoke-url';
export const INPUT_SMOKE_BODY = 'smoke-body';
export const INPUT_SMOKE_STATUS = 'smoke-status';
export const INPUT_SMOKE_MAX_LATENCY = 'smoke-max-latency-ms';
export const INPUT_LOAD_SECONDS = 'load-test-seconds';
export const INPUT_LOAD_CONNECTIONS = 'load-test-connections';
export const INPUT_LOAD_PAYLOADS = 'load-test-payloads';
export const INPUT_MAX_P99 = 'max-p99-ms';
export const INPUT_ENVIRONMENT = 'environment';
export const INPUT_ENVIRONMENT_URL = 'environment-url';
export const INPUT_RECORD = 'record-deployment';
export const INPUT_TOKEN = 'github-token';

export const OPERATIONS = ['deploy', 'rollback', 'promote', 'reject', 'build'] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface Inputs {
  operation: Operation;
  file: string;
  projectDir: string;
  run?: string;
  folder?: string;
  endpoint?: string;
  deployment?: string;
  strategy?: DeployStrategy;
  kubeconfig: string;
  context?: string;
  namespace?: string;
  artifactBaseUrl?: string;
  /** The server image holding the repository (the digest the workflow's build job pushed). */
  image?: string;
  /** The model version's image (modelcar), by digest. */
  modelImage?: string;
  /** `build`: where the server image is pushed (default ghcr.io/<owner>/<repo>/<endpoint>). */
  imageRepository?: string;
  /** `build`: where the model image is pushed (default ghcr.io/<owner>/<repo>/<endpoint>-model). */
  modelImageRepository?: string;
  /** `build`: the folder the build contexts are written to. */
  buildContext?: string;
  rolloutTimeoutSeconds: number;
  smoke?: { url: string; body?: string; expectedStatus: number; maxLatencyMs: number };
  loadTest?: { seconds: number; connections: number; payloads: string[]; maxP99Ms?: number };
  environment: string;
  environmentUrl?: string;
  recordDeployment: boolean;
  token: string;
}

/** Reads and checks every input once; deeper code receives `Inputs`. */
export function getInputs(): Inputs {
  const operation = optionalInput(INPUT_OPERATION) ?? 'deploy';
  if (!(OPERATIONS as readonly string[]).includes(operation)) throw new ConfigurationError(`input "${INPUT_OPERATION}" must be one of ${OPERATIONS.join(', ')}, got "${operation}"`);
  const strategy = optionalInput(INPUT_STRATEGY);
  if (strategy !== undefined && !(DEPLOY_STRATEGIES as readonly string[]).includes(strategy)) {
    throw new ConfigurationError(`input "${INPUT_STRATEGY}" must be one of ${DEPLOY_STRATEGIES.join(', ')}, got "${strategy}"`);
  }
  const kubeconfig = core.getInput(INPUT_KUBECONFIG);
  // `build` only writes build contexts: it needs no cluster, so its job holds no kubeconfig.
  if (kubeconfig.trim() === '' && operation !== 'build') throw new ConfigurationError(`input "${INPUT_KUBECONFIG}" is required: the kubeconfig text, from a secret`);
  if (kubeconfig !== '') {
    core.setSecret(kubeconfig);
    registerSecret(kubeconfig);
  }
  const run = optionalInput(INPUT_RUN);
  const folder = optionalInput(INPUT_FOLDER);
  if ((operation === 'deploy' || operation === 'build') && (run === undefined) === (folder === undefined)) {
    throw new ConfigurationError(`give exactly one of the inputs "${INPUT_RUN}" (a run id or latest) and "${INPUT_FOLDER}" (a folder with the model files)`);
  }
  const smokeUrl = optionalInput(INPUT_SMOKE_URL);
  const smokeBody = optionalInput(INPUT_SMOKE_BODY);
  const loadSeconds = positiveNumberInput(INPUT_LOAD_SECONDS, 0, true);
  const maxP99 = optionalInput(INPUT_MAX_P99) === undefined ? undefined : positiveNumberInput(INPUT_MAX_P99, 0);
  const payloads = core.getInput(INPUT_LOAD_PAYLOADS).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (loadSeconds > 0 && smokeUrl === undefined) throw new ConfigurationError(`input "${INPUT_LOAD_SECONDS}" needs "${INPUT_SMOKE_URL}" (the URL to load)`);
  if (loadSeconds > 60) throw new ConfigurationError(`input "${INPUT_LOAD_SECONDS}" is at most 60: the check is a short bounded test, not a benchmark`);
  const token = core.getInput(INPUT_TOKEN);
  if (token) {
    core.setSecret(token);
    registerSecret(token);
  }
  const context = optionalInput(INPUT_CONTEXT);
  const namespace = optionalInput(INPUT_NAMESPACE);
  const artifactBaseUrl = optionalInput(INPUT_ARTIFACT_BASE_URL);
  const image = optionalInput(INPUT_IMAGE);
  const modelImage = optionalInput(INPUT_MODEL_IMAGE);
  const imageRepository = optionalInput(INPUT_IMAGE_REPOSITORY);
  const modelImageRepository = optionalInput(INPUT_MODEL_IMAGE_REPOSITORY);
  const buildContext = optionalInput(INPUT_BUILD_CONTEXT);
  if (operation === 'build' && buildContext === undefined) throw new ConfigurationError(`input "${INPUT_BUILD_CONTEXT}" is required for operation build: the folder to write the build contexts to`);
  const environmentUrl = optionalInput(INPUT_ENVIRONMENT_URL);
  const endpoint = optionalInput(INPUT_ENDPOINT);
  const deployment = optionalInput(INPUT_DEPLOYMENT);
  return {
    operation: operation as Operation,
    file: optionalInput(INPUT_FILE) ?? 'valohai.yaml',
    projectDir: optionalInput(INPUT_PROJECT_DIR) ?? '.mlops',
    ...(run !== undefined ? { run } : {}),
    ...(folder !== undefined ? { folder } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(deployment !== undefined ? { deployment } : {}),
    ...(strategy !== undefined ? { strategy: strategy as DeployStrategy } : {}),
    kubeconfig,
    ...(context !== undefined ? { context } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(artifactBaseUrl !== undefined ? { artifactBaseUrl } : {}),
    ...(image !== undefined ? { image } : {}),
    ...(modelImage !== undefined ? { modelImage } : {}),
    ...(imageRepository !== undefined ? { imageRepository } : {}),
    ...(modelImageRepository !== undefined ? { modelImageRepository } : {}),
    ...(buildContext !== undefined ? { buildContext } : {}),
    rolloutTimeoutSeconds: positiveNumberInput(INPUT_ROLLOUT_TIMEOUT, 300),
    ...(smokeUrl !== undefined
      ? { smoke: { url: smokeUrl, ...(smokeBody !== undefined ? { body: smokeBody } : {}), expectedStatus: positiveNumberInput(INPUT_SMOKE_STATUS, 200), maxLatencyMs: positiveNumberInput(INPUT_SMOKE_MAX_LATENCY, 1000) } }
      : {}),
    ...(loadSeconds > 0 ? { loadTest: { seconds: loadSeconds, connections: positiveNumberInput(INPUT_LOAD_CONNECTIONS, 8), payloads, ...(maxP99 !== undefined ? { maxP99Ms: maxP99 } : {}) } } : {}),
    environment: optionalInput(INPUT_ENVIRONMENT) ?? 'production',
    ...(environmentUrl !== undefined ? { environmentUrl } : {}),
    recordDeployment: core.getBooleanInput(INPUT_RECORD),
    token,
  };
}
