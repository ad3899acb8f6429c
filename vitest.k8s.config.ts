import { defineConfig } from 'vitest/config';

// The test:k8s tier (`npm run test:k8s`): scenarios against a real kube-apiserver and kube-controller-manager
// with the test kubelet (test/support/k8s/). Not part of `npm test`; .ci/run runs it after building the
// control plane. Files run one at a time: each starts its own cluster, and the machine has 2 cores.
export default defineConfig({
  test: {
    include: ['test/k8s/**/*.test.ts'],
    globalSetup: ['test/support/k8s/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
