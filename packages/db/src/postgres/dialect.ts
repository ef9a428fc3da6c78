// The PostgreSQL half of the package, loaded on demand by open.ts: only a postgres:// URL pays
// for the pg driver and drizzle's pg dialect.
export { openPostgres } from './connection';
export { postgresEngine } from './engine';
export { listenOnPostgres } from './feed-listener';
