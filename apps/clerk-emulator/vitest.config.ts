import { defineConfig } from 'vitest/config';

// Each test starts a stand-in (an RSA key on first start) and often the API: with every package's
// tests running at once on two shared cores, that takes longer than Vitest's default 5 s.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 } });
