/**
 * Every object a deploy would apply, per strategy, validated strictly; and `--dry-run`'s YAML rendering of
 * them (documents separated by `---`, a comment line saying what each is for), which `kubectl apply -f -`
 * and any GitOps tool read as they are.
 */
import type { KubeObject as KubernetesObject } from '../../adapters/kube-client.js';
import { stringify } from 'yaml';
import type { DeployRequest } from '../model.js';
import { canarySplit, describeCanarySplit, type CanarySplit } from './canary.js';
import { deploymentManifest, hpaManifest, pdbManifest, previewServiceManifest, resourceName, serviceManifest, type Track } from './manifests.js';
import type { KubernetesOptions } from './options.js';
import type { Provenance } from './pod.js';
import { validateManifests, type ManifestValidator } from './validate.js';

export interface PlannedObject {
  /** One line on why this object is there. */
  comment: string;
  object: KubernetesObject;
}

export interface ManifestPlan {
  strategy: DeployRequest['strategy'];
  objects: PlannedObject[];
  canary?: CanarySplit;
}

export interface PlanOptions {
  provenance?: Provenance;
  /** Blue-green: the colour the new version goes to (default blue; the rollout picks the idle one). */
  colour?: 'blue' | 'green';
  validator?: ManifestValidator;
}

/**
 * The objects a deploy of `request` applies with its strategy, each checked by `validateManifest`.
 *   rolling     Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget
 *   blue-green  the colour's Deployment, a preview Service per colour, the Service (selecting the colour
 *               once it has passed its smoke test), HPA (on the colour's Deployment), PDB
 *   canary      the stable and canary Deployments at the replica split that gives the share, Service, HPA, PDB
 */
export function planManifests(request: DeployRequest, options: KubernetesOptions, plan: PlanOptions = {}): ManifestPlan {
  const provenance = plan.provenance ?? {};
  const objects: PlannedObject[] = [];
  const name = (track: Track = 'stable'): string => resourceName(request.deployment, request.endpoint.name, track);
  const hpa = (track: Track): KubernetesObject => {
    const object = hpaManifest(request, options, track);
    // One HPA per endpoint (named like the endpoint), pointed at the Deployment that takes the traffic.
    return { ...object, metadata: { ...object.metadata, name: name() } };
  };
  let canary: CanarySplit | undefined;
  if (request.strategy === 'blue-green') {
    const colour = plan.colour ?? 'blue';
    objects.push(
      { comment: `the ${colour} colour: model ${request.version.id}, ${options.replicas} replica(s)`, object: deploymentManifest(request, options, colour, options.replicas, provenance) },
      { comment: 'preview Service of the blue colour (smoke tests before a switch)', object: previewServiceManifest(request, options, 'blue') },
      { comment: 'preview Service of the green colour (smoke tests before a switch)', object: previewServiceManifest(request, options, 'green') },
      { comment: `the endpoint's Service, switched to ${colour} once it is ready and its preview passed the smoke test`, object: serviceManifest(request, options, colour) },
      { comment: `autoscaling of ${name(colour)} (${options.minReplicas}..${options.maxReplicas} replicas)`, object: hpa(colour) },
    );
  } else if (request.strategy === 'canary') {
    canary = canarySplit(options.canaryShare, options.replicas, Math.max(options.replicas, options.maxReplicas));
    objects.push(
      { comment: `stable Deployment at ${canary.stable} replica(s) while the canary runs`, object: { ...deploymentManifest(request, options, 'stable', canary.stable, provenance) } },
      { comment: `canary: model ${request.version.id}, traffic share ${describeCanarySplit(canary)}`, object: deploymentManifest(request, options, 'canary', canary.canary, provenance) },
      { comment: "the endpoint's Service (selects stable and canary pods alike)", object: serviceManifest(request, options) },
      { comment: `autoscaling of ${name()} (${options.minReplicas}..${options.maxReplicas} replicas)`, object: hpa('stable') },
    );
  } else {
    objects.push(
      { comment: `model ${request.version.id}, ${options.replicas} replica(s), rolling update without unavailable pods`, object: deploymentManifest(request, options, 'stable', options.replicas, provenance) },
      { comment: "the endpoint's Service", object: serviceManifest(request, options) },
      { comment: `autoscaling of ${name()} (${options.minReplicas}..${options.maxReplicas} replicas)`, object: hpa('stable') },
    );
  }
  objects.push({ comment: 'at most one pod of the endpoint down at a time through voluntary disruptions (node drains)', object: pdbManifest(request, options) });
  validateManifests(
    objects.map((o) => o.object),
    plan.validator,
  );
  return { strategy: request.strategy, objects, ...(canary ? { canary } : {}) };
}

/** YAML documents, `---` before each, a comment line on top of each. */
export function manifestsYaml(objects: readonly (PlannedObject | KubernetesObject)[]): string {
  return objects
    .map((entry) => {
      const planned = 'object' in entry && 'comment' in entry ? (entry as PlannedObject) : undefined;
      const object = planned ? planned.object : (entry as KubernetesObject);
      const comment = planned ? `# ${planned.comment.replace(/\n/g, ' ')}\n` : '';
      return `---\n${comment}${stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })}`;
    })
    .join('');
}
