// The rollout strategies, apart from model.ts (which reads runs and the content store): the deploy
// action checks its `strategy` input against this list before anything else, at its cold start.
export type DeployStrategy = 'rolling' | 'blue-green' | 'canary';
export const DEPLOY_STRATEGIES: readonly DeployStrategy[] = ['rolling', 'blue-green', 'canary'];
