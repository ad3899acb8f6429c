import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One Azurite (real Azure Blob Storage) behind the artifact/cache test service for the whole run.
    globalSetup: ['test/support/azurite-global-setup.ts'],
    // @actions/workflow-parser imports JSON without import attributes; inlining lets Vite handle it.
    server: { deps: { inline: ['@actions/workflow-parser', '@actions/expressions'] } },
  },
});
