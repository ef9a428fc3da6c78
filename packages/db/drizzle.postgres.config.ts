import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @expectations/db generate`: SQL migrations for the PostgreSQL schema.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/postgres/schema/index.ts',
  out: './migrations/postgres',
});
