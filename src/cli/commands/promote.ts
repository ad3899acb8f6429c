import { canaryCommand } from './kubernetes-operation.js';

export const command = canaryCommand(
  'promote',
  'promote a Kubernetes canary: its version replaces the serving one (rolling, with automatic rollback)',
  `Gives the running canary's model version to the Deployment that serves (a rolling update, checked
through the Service's Endpoints, rolled back automatically on failure) and removes the canary.`,
);
