import { defineConfig } from 'vitest/config';
import { databaseProjects } from './src/testing/vitest-projects.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    projects: databaseProjects({
      engineIndependent: ['test/url.test.ts', 'test/migrations.test.ts', 'test/schema-parity.test.ts', 'test/entry-points.test.ts'],
    }),
  },
});
