import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The scenario starts the API as a child process several times; on a busy 2-core machine each
  // start alone can take seconds.
  test: { include: ['test/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 30_000 },
});
