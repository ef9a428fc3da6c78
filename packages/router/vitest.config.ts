import { defineConfig } from 'vitest/config';
// By path: vitest loads its config with Node, which cannot import a workspace package's TypeScript.
import { databaseProjects } from '../db/src/testing/vitest-projects.ts';

// The same allowance as the database package's suites: each test creates its own database.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000, projects: databaseProjects() } });
