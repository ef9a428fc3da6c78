import { defineConfig } from 'vitest/config';
// By path: vitest loads its config with Node, which cannot import a workspace package's TypeScript.
import { databaseProjects } from '../db/src/testing/vitest-projects.ts';

export default defineConfig({ test: { include: ['test/**/*.test.ts'], projects: databaseProjects() } });
