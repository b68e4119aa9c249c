import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['../../scripts/temp-guard.mjs'],
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
