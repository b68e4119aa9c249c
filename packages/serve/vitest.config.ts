import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['../../scripts/temp-guard.mjs'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
