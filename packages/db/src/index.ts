export { openDatabase, sqlitePathFromUrl, type Database, type OpenDatabaseOptions, type Orm } from './client';
export * from './schema/index';
export * from './queries/users';
export * from './queries/expectations';
export * from './queries/mirror-audit';
