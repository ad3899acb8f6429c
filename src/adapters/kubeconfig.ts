/**
 * Reads a kubeconfig (the file kubectl uses) into what one HTTPS connection to the API server needs:
 * the server URL, the CA to trust (inline data or a file), and the credentials (a bearer token, a token
 * file, a client certificate and key, or an exec credential plugin as EKS/GKE/AKS configs use).
 *
 * Paths in a kubeconfig are relative to the file that holds them, as kubectl resolves them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';

export interface KubeTarget {
  /** https://host:port (or http:// for a local insecure port), without a trailing slash. */
  server: string;
  context: string;
  /** The context's namespace, when it names one. */
  namespace?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  username?: string;
  password?: string;
  /** insecure-skip-tls-verify: the server certificate is not checked (test clusters only). */
  insecure: boolean;
  /** tls-server-name: the name to check the server certificate against, when it differs from the URL's host. */
  serverName?: string;
}

function list(doc: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const value = doc[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ConfigurationError(`kubeconfig: '${key}' must be a list`);
  return value as Record<string, unknown>[];
}

function find(doc: Record<string, unknown>, key: string, field: string, name: string): Record<string, unknown> {
  const entry = list(doc, key).find((e) => e.name === name);
  if (!entry) throw new ConfigurationError(`kubeconfig: no ${field} named '${name}' in '${key}'`);
  const body = entry[field];
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

function str(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ConfigurationError(`kubeconfig: '${key}' must be a string`);
  return value;
}

function readRelative(path: string, baseDir: string | undefined, what: string): Buffer {
  const full = isAbsolute(path) || !baseDir ? path : resolve(baseDir, path);
  try {
    return readFileSync(full);
  } catch (error) {
    throw new ConfigurationError(`kubeconfig: cannot read the ${what} ${full}: ${getErrorMessage(error)}`);
  }
}

/** Inline base64 data (`<key>-data`) or a file (`<key>`); data wins, as in kubectl. */
function material(object: Record<string, unknown>, key: string, baseDir: string | undefined, what: string): Buffer | undefined {
  const data = str(object, `${key}-data`);
  if (data) return Buffer.from(data, 'base64');
  const path = str(object, key);
  return path ? readRelative(path, baseDir, what) : undefined;
}

interface ExecCredential {
  status?: { token?: string; clientCertificateData?: string; clientKeyData?: string };
}

/** Runs a client-go exec credential plugin (apiVersion client.authentication.k8s.io/v1 or v1beta1). */
function execCredential(exec: Record<string, unknown>, server: string): ExecCredential['status'] {
  const command = str(exec, 'command');
  if (!command) throw new ConfigurationError('kubeconfig: user.exec needs a command');
  const args = Array.isArray(exec['args']) ? (exec['args'] as unknown[]).map(String) : [];
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const item of Array.isArray(exec['env']) ? (exec['env'] as Record<string, unknown>[]) : []) {
    if (typeof item['name'] === 'string') env[item['name']] = String(item['value'] ?? '');
  }
  const apiVersion = str(exec, 'apiVersion') ?? 'client.authentication.k8s.io/v1beta1';
  env['KUBERNETES_EXEC_INFO'] = JSON.stringify({ apiVersion, kind: 'ExecCredential', spec: { interactive: false, cluster: { server } } });
  let output: string;
  try {
    output = execFileSync(command, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (error) {
    throw new ConfigurationError(`kubeconfig: the credential plugin '${command}' failed: ${getErrorMessage(error)}`);
  }
  try {
    return (JSON.parse(output) as ExecCredential).status;
  } catch {
    throw new ConfigurationError(`kubeconfig: the credential plugin '${command}' printed no ExecCredential JSON`);
  }
}

/**
 * The connection for `context` (default: current-context). `baseDir` resolves relative file paths
 * (the kubeconfig file's folder).
 */
export function parseKubeconfig(text: string, options: { context?: string; baseDir?: string } = {}): KubeTarget {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new ConfigurationError(`cannot read the kubeconfig: ${getErrorMessage(error)}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigurationError('cannot read the kubeconfig: it is not a YAML mapping');
  const root = doc as Record<string, unknown>;
  const contextName = options.context ?? str(root, 'current-context');
  if (!contextName) throw new ConfigurationError('the kubeconfig has no current-context; pass a context');
  const context = find(root, 'contexts', 'context', contextName);
  const clusterName = str(context, 'cluster');
  if (!clusterName) throw new ConfigurationError(`kubeconfig: context '${contextName}' names no cluster`);
  const cluster = find(root, 'clusters', 'cluster', clusterName);
  const serverText = str(cluster, 'server');
  if (!serverText) throw new ConfigurationError(`kubeconfig: cluster '${clusterName}' has no server`);
  let server: URL;
  try {
    server = new URL(serverText);
  } catch {
    throw new ConfigurationError(`kubeconfig: cluster '${clusterName}' server '${serverText}' is not a URL`);
  }
  if (server.protocol !== 'https:' && server.protocol !== 'http:') throw new ConfigurationError(`kubeconfig: server '${serverText}' must be https://`);
  const userName = str(context, 'user');
  const user = userName ? find(root, 'users', 'user', userName) : {};
  const { baseDir } = options;
  const target: KubeTarget = {
    server: serverText.replace(/\/+$/, ''),
    context: contextName,
    insecure: cluster['insecure-skip-tls-verify'] === true,
  };
  const namespace = str(context, 'namespace');
  if (namespace) target.namespace = namespace;
  const serverName = str(cluster, 'tls-server-name');
  if (serverName) target.serverName = serverName;
  const ca = material(cluster, 'certificate-authority', baseDir, 'certificate authority');
  if (ca) target.ca = ca;
  const cert = material(user, 'client-certificate', baseDir, 'client certificate');
  const key = material(user, 'client-key', baseDir, 'client key');
  if (cert && key) Object.assign(target, { cert, key });
  else if (cert || key) throw new ConfigurationError(`kubeconfig: user '${userName ?? ''}' has a client ${cert ? 'certificate without a key' : 'key without a certificate'}`);
  const token = str(user, 'token') ?? (str(user, 'tokenFile') ? readRelative(str(user, 'tokenFile') ?? '', baseDir, 'token file').toString('utf8').trim() : undefined);
  if (token) target.token = token;
  const username = str(user, 'username');
  const password = str(user, 'password');
  if (username && password) Object.assign(target, { username, password });
  if (user['auth-provider']) throw new ConfigurationError(`kubeconfig: user '${userName ?? ''}' uses an auth-provider plugin, which kubectl itself removed; use a token, a client certificate or an exec plugin`);
  const exec = user['exec'];
  if (exec && typeof exec === 'object' && !target.token && !target.cert) {
    const status = execCredential(exec as Record<string, unknown>, target.server);
    if (status?.token) target.token = status.token;
    if (status?.clientCertificateData && status.clientKeyData) Object.assign(target, { cert: Buffer.from(status.clientCertificateData), key: Buffer.from(status.clientKeyData) });
    if (!target.token && !target.cert) throw new ConfigurationError('kubeconfig: the credential plugin returned neither a token nor a client certificate');
  }
  return target;
}
