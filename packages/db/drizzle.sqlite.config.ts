import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @expectations/db generate`: SQL migrations for the SQLite schema.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/sqlite/schema/index.ts',
  out: './migrations/sqlite',
});
