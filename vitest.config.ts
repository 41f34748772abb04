import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    // a hang guard only: on a busy 2-core machine a slow test is still a passing test (no test measures time)
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
