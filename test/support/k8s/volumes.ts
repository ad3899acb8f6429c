/**
 * Pod volumes on the test node: emptyDir as a world-writable temp folder (as the kubelet makes it),
 * secret / configMap / downwardAPI / projected (including serviceAccountToken via the TokenRequest API)
 * written as files, hostPath bound as is. Other types (persistentVolumeClaim, csi, ...) are not supported:
 * the pod stays in ContainerCreating with a FailedMount event, as a real node with an unbindable claim would.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { KubeClient } from './kube-client.js';
import { KubeError } from './kube-client.js';
import { fieldRefValue, type Pod, type Volume } from './pod-spec.js';

export class MountError extends Error {}

type Data = Record<string, Buffer>;

async function writeItems(dir: string, data: Data, items: Array<{ key: string; path: string }> | undefined, what: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  await chmod(dir, 0o755);
  const entries = items ? items.map((i) => [i.path, data[i.key], i.key] as const) : Object.entries(data).map(([k, v]) => [k, v, k] as const);
  for (const [path, value, key] of entries) {
    if (value === undefined) throw new MountError(`configmap references non-existent config key: ${key} (${what})`);
    if (path.split('/').includes('..') || path.startsWith('/')) throw new MountError(`invalid item path ${path}`);
    const file = join(dir, path);
    await mkdir(dirname(file), { recursive: true, mode: 0o755 });
    await writeFile(file, value, { mode: 0o644 });
  }
}

async function objectData(client: KubeClient, namespace: string, kind: 'secrets' | 'configmaps', name: string): Promise<Data | undefined> {
  const object = await client.find<{ data?: Record<string, string>; binaryData?: Record<string, string> }>(`/api/v1/namespaces/${namespace}/${kind}/${name}`);
  if (!object) return undefined;
  const out: Data = {};
  for (const [k, v] of Object.entries(object.data ?? {})) out[k] = kind === 'secrets' ? Buffer.from(v, 'base64') : Buffer.from(v, 'utf8');
  for (const [k, v] of Object.entries(object.binaryData ?? {})) out[k] = Buffer.from(v, 'base64');
  return out;
}

/** Materialises one volume under `dir`; returns the host path to bind. Throws MountError with the kubelet's wording. */
export async function setUpVolume(client: KubeClient, pod: Pod, volume: Volume, dir: string, podIp: string, hostIp: string): Promise<string> {
  const namespace = pod.metadata.namespace ?? 'default';
  const path = join(dir, volume.name);
  const fail = (why: string): never => {
    throw new MountError(`MountVolume.SetUp failed for volume "${volume.name}" : ${why}`);
  };
  if (volume.emptyDir) {
    await mkdir(path, { recursive: true });
    await chmod(path, 0o777);
    return path;
  }
  if (volume.hostPath) return volume.hostPath.path;
  if (volume.secret) {
    const data = await objectData(client, namespace, 'secrets', volume.secret.secretName);
    if (!data && !volume.secret.optional) fail(`secret "${volume.secret.secretName}" not found`);
    await writeItems(path, data ?? {}, volume.secret.items, volume.name);
    return path;
  }
  if (volume.configMap) {
    const data = await objectData(client, namespace, 'configmaps', volume.configMap.name);
    if (!data && !volume.configMap.optional) fail(`configmap "${volume.configMap.name}" not found`);
    await writeItems(path, data ?? {}, volume.configMap.items, volume.name);
    return path;
  }
  if (volume.downwardAPI) {
    const data: Data = {};
    for (const item of volume.downwardAPI.items) {
      if (item.fieldRef) data[item.path] = Buffer.from(fieldRefValue(pod, item.fieldRef.fieldPath, podIp, hostIp));
    }
    await writeItems(path, data, undefined, volume.name);
    return path;
  }
  if (volume.projected) {
    await mkdir(path, { recursive: true, mode: 0o755 });
    for (const source of volume.projected.sources) {
      const s = source as {
        secret?: { name: string; items?: Array<{ key: string; path: string }>; optional?: boolean };
        configMap?: { name: string; items?: Array<{ key: string; path: string }>; optional?: boolean };
        downwardAPI?: { items: Array<{ path: string; fieldRef?: { fieldPath: string } }> };
        serviceAccountToken?: { audience?: string; expirationSeconds?: number; path: string };
      };
      if (s.secret || s.configMap) {
        const ref = (s.secret ?? s.configMap)!;
        const data = await objectData(client, namespace, s.secret ? 'secrets' : 'configmaps', ref.name);
        if (!data && !ref.optional) fail(`${s.secret ? 'secret' : 'configmap'} "${ref.name}" not found`);
        await writeItems(path, data ?? {}, ref.items, volume.name);
      } else if (s.downwardAPI) {
        const data: Data = {};
        for (const item of s.downwardAPI.items) if (item.fieldRef) data[item.path] = Buffer.from(fieldRefValue(pod, item.fieldRef.fieldPath, podIp, hostIp));
        await writeItems(path, data, undefined, volume.name);
      } else if (s.serviceAccountToken) {
        const account = pod.spec.serviceAccountName ?? 'default';
        try {
          const review = await client.request<{ status: { token: string } }>('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${account}/token`, {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenRequest',
            spec: {
              ...(s.serviceAccountToken.audience ? { audiences: [s.serviceAccountToken.audience] } : {}),
              expirationSeconds: s.serviceAccountToken.expirationSeconds ?? 3600,
              boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid },
            },
          });
          await writeItems(path, { [s.serviceAccountToken.path]: Buffer.from(review.status.token) }, undefined, volume.name);
        } catch (error) {
          fail(error instanceof KubeError ? error.message : String(error));
        }
      }
    }
    return path;
  }
  const type = Object.keys(volume).find((k) => k !== 'name') ?? 'unknown';
  return fail(`volume type ${type} is not supported by the test kubelet`);
}
