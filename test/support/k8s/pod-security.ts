/**
 * Pod Security admission for the 1.20 test cluster, which predates the in-tree PodSecurity plugin: a
 * validating admission webhook (served here, registered through the real API) that checks pods created in
 * namespaces labelled `pod-security.kubernetes.io/enforce=baseline|restricted` against the Pod Security
 * Standards. A refused pod is refused at creation, as PodSecurity does it, so a ReplicaSet records
 * FailedCreate with the reason ("violates PodSecurity "restricted:latest": ...").
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { KubeClient } from './kube-client.js';
import type { Pki } from './control-plane.js';
import { podSecurityViolations, type Pod } from './pod-spec.js';

const LABEL = 'pod-security.kubernetes.io/enforce';
const WEBHOOK = 'pod-security.mlops-test.local';

interface AdmissionReview {
  request: { uid: string; namespace: string; name?: string; object: Pod; operation: string };
}

export async function startPodSecurityWebhook(client: KubeClient, pki: Pki): Promise<{ close(): Promise<void> }> {
  const [cert, key] = await pki.issue('pod-security-webhook');
  const namespaceLevels = new Map<string, string | undefined>();
  const levelOf = async (namespace: string): Promise<string | undefined> => {
    // Read each time: labels can change, and a cached level would let a pod through that PodSecurity refuses.
    const ns = await client.get<{ metadata: { labels?: Record<string, string> } }>(`/api/v1/namespaces/${namespace}`);
    const level = ns.metadata.labels?.[LABEL];
    namespaceLevels.set(namespace, level);
    return level;
  };
  const server: Server = createServer({ cert: await readFile(cert), key: await readFile(key) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AdmissionReview;
        const pod = review.request.object;
        let allowed = true;
        let message = '';
        try {
          const level = await levelOf(review.request.namespace);
          if (level === 'restricted' || level === 'baseline') {
            const violations = podSecurityViolations(pod, level);
            if (violations.length) {
              allowed = false;
              const name = pod.metadata.name || review.request.name || `${(pod.metadata as { generateName?: string }).generateName ?? ''}`;
              message = `pods "${name}" is forbidden: violates PodSecurity "${level}:latest": ${violations.join(', ')}`;
            }
          }
        } catch (error) {
          allowed = false;
          message = `pod security check failed: ${String(error)}`;
        }
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            apiVersion: 'admission.k8s.io/v1',
            kind: 'AdmissionReview',
            response: { uid: review.request.uid, allowed, ...(allowed ? {} : { status: { code: 403, reason: 'Forbidden', message } }) },
          }),
        );
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('webhook has no address');
  await client.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'pod-security' },
    webhooks: [
      {
        name: WEBHOOK,
        clientConfig: { url: `https://127.0.0.1:${address.port}/validate`, caBundle: Buffer.from(pki.caPem).toString('base64') },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' }],
        namespaceSelector: { matchExpressions: [{ key: LABEL, operator: 'In', values: ['baseline', 'restricted'] }] },
        failurePolicy: 'Fail',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: 10,
      },
    ],
  });
  return {
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
