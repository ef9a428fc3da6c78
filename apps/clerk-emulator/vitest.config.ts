import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests start the stand-in, spawn processes and wait for webhooks: on a busy 2-core machine
  // that alone can take seconds, so the default 5 s would fail slow machines rather than wrong code.
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
});
