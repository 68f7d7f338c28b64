import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/build-once.ts'],
    // Two cores here: run files in parallel but keep each file's tests in order.
    pool: 'forks',
    maxWorkers: 2,
    // Real processes, servers and Chromium on two cores: a busy machine doubles a slow test's time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
