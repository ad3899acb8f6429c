// The container engines, apart from container.ts (which finds and runs them): the run and run-node
// actions check their `container` input against this list before anything else, at their cold start.
export const CONTAINER_ENGINES = ['docker', 'podman'] as const;
export type ContainerEngine = (typeof CONTAINER_ENGINES)[number];
