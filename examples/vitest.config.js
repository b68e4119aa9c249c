import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.js'],
    globalSetup: ['test/global-setup.js'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 120_000,
  },
});
