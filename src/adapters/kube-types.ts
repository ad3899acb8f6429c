/**
 * Kubernetes object types, from kubernetes-models' published schemas (type-only: nothing of it reaches
 * a bundle). Named as @kubernetes/client-node named them, so code written against that client reads the same.
 */
export type { IDeployment as V1Deployment } from 'kubernetes-models/apps/v1/Deployment';
export type { IReplicaSet as V1ReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
export type { IService as V1Service } from 'kubernetes-models/v1/Service';
export type { IPod as V1Pod } from 'kubernetes-models/v1/Pod';
export type { IPodTemplateSpec as V1PodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
export type { IEndpoints as V1Endpoints } from 'kubernetes-models/v1/Endpoints';
export type { IEvent as CoreV1Event } from 'kubernetes-models/v1/Event';
export type { IConfigMap as V1ConfigMap } from 'kubernetes-models/v1/ConfigMap';
export type { ILease as V1Lease } from 'kubernetes-models/coordination.k8s.io/v1/Lease';
export type { IHorizontalPodAutoscaler as V2HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
export type { IPodDisruptionBudget as V1PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
export type { IContainer as V1Container } from 'kubernetes-models/v1/Container';
export type { IPodSpec as V1PodSpec } from 'kubernetes-models/v1/PodSpec';
export type { ISecurityContext as V1SecurityContext } from 'kubernetes-models/v1/SecurityContext';
export type { IProbe as V1Probe } from 'kubernetes-models/v1/Probe';
export type { IVolume as V1Volume } from 'kubernetes-models/v1/Volume';
export type { IEnvVar as V1EnvVar } from 'kubernetes-models/v1/EnvVar';
