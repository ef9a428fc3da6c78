import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Each test runs the audit as its own process several times and drives thousands of users
  // through the stand-in's rate limit: minutes on a busy 2-core machine, not seconds.
  test: { include: ['test/**/*.test.ts'], testTimeout: 240_000, hookTimeout: 60_000, fileParallelism: false },
});
