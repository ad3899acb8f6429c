import { canaryCommand } from './kubernetes-operation.js';

export const command = canaryCommand(
  'reject',
  'reject a Kubernetes canary: remove it, the serving version keeps all traffic',
  'Takes the canary out of the Service, removes it and gives the serving Deployment its former size.',
);
