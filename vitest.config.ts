import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-scratch.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // better-sqlite3 and worker threads behave best in forked processes.
    pool: 'forks',
  },
});
