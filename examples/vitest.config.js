import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['../scripts/temp-guard.mjs'],
    include: ['test/**/*.test.js'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 120_000,
  },
});
