/**
 * The product's database: open it, then ask it questions through `createQueries`. Nothing here
 * writes the users mirror or hands out a handle that could: that is `./mirror-writer`'s job.
 */
export * from './constants';
export type { Database, Dialect } from './database';
export { migrationsFolder } from './migrations-folder';
export { createFeedQueries, createMirrorAuditQueries, createQueries, openDatabase, type OpenDatabaseOptions } from './open';
export type * from './feed/types';
export { pruneFeedEvents, type PruneFeedEventsOptions } from './feed/retention';
export { watchFeedEvents, type FeedWatch } from './feed/watch';
export type * from './queries/mirror-audit';
export { DatabaseConnectionError, DatabasePrivilegeError, DEFAULT_POOL_SIZE, type PostgresConnectionRole } from './postgres/settings';
export type * from './queries/types';
export { createMutationLimiter, type MutationLimiter, type MutationLimiterOptions } from './rate-limit/index';
export { pruneWebhookEvents, type PruneWebhookEventsOptions } from './webhook-events-retention';
export { DatabaseUrlError, describePostgresUrl, parseDatabaseUrl, parseMirrorWriterUrl, type DatabaseTarget } from './url';
