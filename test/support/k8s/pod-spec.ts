/**
 * What the test kubelet reads from a Pod spec: the subset of core/v1 types it honours, environment
 * resolution (values, $(VAR) expansion, downward API, ConfigMap/Secret keys), the effective user and its
 * runAsNonRoot check, and the Pod Security Standards check (baseline/restricted) that 1.20 lacks in-tree.
 */
import type { KubeObject } from './kube-client.js';
import type { Probe, Handler } from './probes.js';
import type { ImageConfig } from './registry.js';

export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type?: string };
  procMount?: string;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: { resource: string; containerName?: string; divisor?: string };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: Array<{ prefix?: string; configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }>;
  ports?: Array<{ name?: string; containerPort: number; hostPort?: number; protocol?: string }>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean; subPath?: string }>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: Handler; postStart?: Handler };
  securityContext?: SecurityContext;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  imagePullPolicy?: string;
  terminationMessagePath?: string;
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
}

export interface Volume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  secret?: { secretName: string; items?: Array<{ key: string; path: string }>; optional?: boolean };
  configMap?: { name: string; items?: Array<{ key: string; path: string }>; optional?: boolean };
  downwardAPI?: { items: Array<{ path: string; fieldRef?: { fieldPath: string } }> };
  projected?: { sources: Array<Record<string, unknown>> };
  hostPath?: { path: string };
  [other: string]: unknown;
}

export interface PodSpec {
  nodeName?: string;
  schedulerName?: string;
  nodeSelector?: Record<string, string>;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds?: number;
  initContainers?: ContainerSpec[];
  containers: ContainerSpec[];
  ephemeralContainers?: ContainerSpec[];
  volumes?: Volume[];
  securityContext?: SecurityContext & { fsGroup?: number; supplementalGroups?: number[] };
  serviceAccountName?: string;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  hostname?: string;
  readinessGates?: Array<{ conditionType: string }>;
  enableServiceLinks?: boolean;
}

export interface Pod extends KubeObject {
  spec: PodSpec;
  status?: { podIP?: string; hostIP?: string; phase?: string; conditions?: Array<{ type: string; status: string }> };
}

/** Thrown for what the kubelet reports as CreateContainerConfigError. */
export class ContainerConfigError extends Error {}

export interface Lookup {
  configMap(name: string): Promise<Record<string, string> | undefined>;
  secret(name: string): Promise<Record<string, string> | undefined>;
}

function fieldValue(pod: Pod, path: string, podIp: string, hostIp: string): string {
  const indexed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (indexed) return (indexed[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[indexed[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace ?? 'default';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? 'default';
    case 'status.podIP':
    case 'status.podIPs':
      return podIp;
    case 'status.hostIP':
      return hostIp;
    default:
      throw new ContainerConfigError(`unsupported fieldRef ${path}`);
  }
}

export function fieldRefValue(pod: Pod, path: string, podIp: string, hostIp: string): string {
  return fieldValue(pod, path, podIp, hostIp);
}

const QUANTITY = /^([0-9.]+)(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/;
const FACTORS: Record<string, number> = { '': 1, m: 0.001, k: 1e3, Ki: 1024, M: 1e6, Mi: 1024 ** 2, G: 1e9, Gi: 1024 ** 3, T: 1e12, Ti: 1024 ** 4 };

export function quantity(value: string): number {
  const m = QUANTITY.exec(value);
  if (!m) throw new ContainerConfigError(`invalid quantity ${value}`);
  return Number(m[1]) * FACTORS[m[2] ?? '']!;
}

/** $(VAR) expands from the variables defined so far; $$(VAR) is a literal $(VAR); unknown stays as is. */
export function expand(value: string, vars: Map<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && vars.has(name) ? vars.get(name)! : match;
  });
}

export async function containerEnv(pod: Pod, container: ContainerSpec, image: ImageConfig, podIp: string, hostIp: string, lookup: Lookup, serviceEnv: Array<[string, string]>): Promise<Array<[string, string]>> {
  const vars = new Map<string, string>();
  for (const entry of image.env) {
    const eq = entry.indexOf('=');
    vars.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  vars.set('HOSTNAME', pod.spec.hostname ?? pod.metadata.name);
  for (const [k, v] of serviceEnv) vars.set(k, v);
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    if (!ref) continue;
    const data = source.configMapRef ? await lookup.configMap(ref.name) : await lookup.secret(ref.name);
    if (!data) {
      if (ref.optional) continue;
      throw new ContainerConfigError(`${source.configMapRef ? 'configmap' : 'secret'} "${ref.name}" not found`);
    }
    for (const [k, v] of Object.entries(data)) vars.set(`${source.prefix ?? ''}${k}`, v);
  }
  for (const env of container.env ?? []) {
    let value: string | undefined;
    const from = env.valueFrom;
    if (!from) value = expand(env.value ?? '', vars);
    else if (from.fieldRef) value = fieldValue(pod, from.fieldRef.fieldPath, podIp, hostIp);
    else if (from.resourceFieldRef) value = resourceValue(pod, container, from.resourceFieldRef);
    else if (from.configMapKeyRef || from.secretKeyRef) {
      const ref = (from.configMapKeyRef ?? from.secretKeyRef)!;
      const kind = from.configMapKeyRef ? 'configmap' : 'secret';
      const data = kind === 'configmap' ? await lookup.configMap(ref.name) : await lookup.secret(ref.name);
      if (!data) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`${kind} "${ref.name}" not found`);
      }
      if (!(ref.key in data)) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in ${kind === 'configmap' ? 'ConfigMap' : 'Secret'} ${pod.metadata.namespace}/${ref.name}`);
      }
      value = data[ref.key];
    }
    vars.set(env.name, value ?? '');
  }
  return [...vars.entries()];
}

function resourceValue(pod: Pod, self: ContainerSpec, ref: { resource: string; containerName?: string; divisor?: string }): string {
  const container = ref.containerName ? pod.spec.containers.find((c) => c.name === ref.containerName) : self;
  const [kind, name] = ref.resource.split('.') as ['limits' | 'requests', string];
  const node = name === 'cpu' ? '2' : name === 'memory' ? '8Gi' : '0';
  const raw = container?.resources?.[kind]?.[name] ?? (kind === 'limits' ? node : '0');
  const divisor = quantity(ref.divisor ?? '1');
  return String(Math.ceil(quantity(raw) / divisor));
}

export function argv(container: ContainerSpec, image: ImageConfig, vars: Map<string, string>): string[] {
  const entrypoint = container.command ?? image.entrypoint ?? [];
  const args = container.command ? (container.args ?? []) : (container.args ?? image.cmd ?? []);
  const out = [...entrypoint, ...args].map((a) => expand(a, vars));
  if (out.length === 0) throw new ContainerConfigError('no command specified');
  return out;
}

/** The uid/gid a container runs as, with the kubelet's runAsNonRoot verification. */
export function effectiveUser(pod: Pod, container: ContainerSpec, image: ImageConfig, passwd: string): { uid: number; gid: number } {
  const sc = { ...pod.spec.securityContext, ...container.securityContext };
  let uid = sc.runAsUser;
  let gid = sc.runAsGroup;
  if (uid === undefined && image.user) {
    const [user, group] = image.user.split(':') as [string, string | undefined];
    if (/^\d+$/.test(user)) uid = Number(user);
    else {
      if (sc.runAsNonRoot) throw new ContainerConfigError(`container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root (pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})", container: ${container.name})`);
      const entry = passwd.split('\n').find((l) => l.split(':')[0] === user);
      if (!entry) throw new ContainerConfigError(`unable to find user ${user}: no matching entries in passwd file`);
      uid = Number(entry.split(':')[2]);
      gid ??= Number(entry.split(':')[3]);
    }
    if (group !== undefined && gid === undefined && /^\d+$/.test(group)) gid = Number(group);
  }
  uid ??= 0;
  gid ??= 0;
  if (sc.runAsNonRoot && uid === 0) {
    throw new ContainerConfigError(`container has runAsNonRoot and image will run as root (pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})", container: ${container.name})`);
  }
  return { uid, gid };
}

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/**
 * The Pod Security Standards (as the PodSecurity admission of Kubernetes 1.25+ checks them, "latest"), for a
 * namespace's `pod-security.kubernetes.io/enforce` level. Returns the violations in PodSecurity's wording.
 */
export function podSecurityViolations(pod: Pod, level: 'baseline' | 'restricted'): string[] {
  const spec = pod.spec;
  const out: string[] = [];
  const all = [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])];
  const hostNs = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k]);
  if (hostNs.length) out.push(`host namespaces (${hostNs.map((k) => `${k}=true`).join(', ')})`);
  const privileged = all.filter((c) => c.securityContext?.privileged);
  if (privileged.length) out.push(`privileged (${privileged.map((c) => `container "${c.name}" must not set securityContext.privileged=true`).join('; ')})`);
  const hostPorts = all.filter((c) => c.ports?.some((p) => p.hostPort));
  if (hostPorts.length) out.push(`hostPort (${hostPorts.map((c) => `container "${c.name}" uses hostPort ${c.ports!.filter((p) => p.hostPort).map((p) => p.hostPort).join(', ')}`).join('; ')})`);
  const hostPathVolumes = (spec.volumes ?? []).filter((v) => v.hostPath);
  if (hostPathVolumes.length) out.push(`hostPath volumes (${hostPathVolumes.map((v) => `"${v.name}"`).join(', ')})`);
  const unconfined = [spec.securityContext?.seccompProfile?.type, ...all.map((c) => c.securityContext?.seccompProfile?.type)].includes('Unconfined');
  if (unconfined) out.push('seccompProfile (type "Unconfined" is forbidden)');
  const badAdd = all.filter((c) => (c.securityContext?.capabilities?.add ?? []).some((cap) => !BASELINE_CAPABILITIES.has(cap)));
  if (level === 'baseline') {
    if (badAdd.length) out.push(`non-default capabilities (${badAdd.map((c) => `container "${c.name}" must not include ${(c.securityContext!.capabilities!.add ?? []).filter((cap) => !BASELINE_CAPABILITIES.has(cap)).map((cap) => `"${cap}"`).join(', ')} in securityContext.capabilities.add`).join('; ')})`);
    return out;
  }
  const volumes = (spec.volumes ?? []).filter((v) => !Object.keys(v).some((k) => RESTRICTED_VOLUMES.has(k)));
  if (volumes.length) out.push(`restricted volume types (${volumes.map((v) => `volume "${v.name}" uses restricted volume type "${Object.keys(v).find((k) => k !== 'name') ?? 'unknown'}"`).join('; ')})`);
  const escalation = all.filter((c) => c.securityContext?.allowPrivilegeEscalation !== false);
  if (escalation.length) out.push(`allowPrivilegeEscalation != false (${escalation.map((c) => `container "${c.name}" must set securityContext.allowPrivilegeEscalation=false`).join('; ')})`);
  const caps = all.filter((c) => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL') || (c.securityContext?.capabilities?.add ?? []).some((cap) => cap !== 'NET_BIND_SERVICE'));
  if (caps.length) out.push(`unrestricted capabilities (${caps.map((c) => `container "${c.name}" must set securityContext.capabilities.drop=["ALL"]`).join('; ')})`);
  const podNonRoot = spec.securityContext?.runAsNonRoot === true;
  const nonRoot = all.filter((c) => c.securityContext?.runAsNonRoot === false || (!podNonRoot && c.securityContext?.runAsNonRoot !== true));
  if (nonRoot.length) out.push(`runAsNonRoot != true (pod or container${nonRoot.length > 1 ? 's' : ''} ${nonRoot.map((c) => `"${c.name}"`).join(', ')} must set securityContext.runAsNonRoot=true)`);
  const rootUser = spec.securityContext?.runAsUser === 0 || all.some((c) => c.securityContext?.runAsUser === 0);
  if (rootUser) out.push('runAsUser=0 (pod and containers must not set runAsUser=0)');
  const podSeccomp = spec.securityContext?.seccompProfile?.type;
  const seccompOk = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';
  const seccomp = all.filter((c) => !seccompOk(c.securityContext?.seccompProfile?.type ?? podSeccomp));
  if (seccomp.length) out.push(`seccompProfile (pod or container${seccomp.length > 1 ? 's' : ''} ${seccomp.map((c) => `"${c.name}"`).join(', ')} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`);
  return out;
}
