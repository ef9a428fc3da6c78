import type { Database } from './database';
import type { MirrorAuditQueries } from './queries/mirror-audit';
import type { Queries } from './queries/types';
import { internalsOf } from './internals';
import { openSqlite, type OpenSqliteOptions } from './sqlite/connection';
import { sqliteMirrorAuditQueries } from './sqlite/mirror-audit-queries';
import { sqliteQueries } from './sqlite/queries';

export type OpenDatabaseOptions = OpenSqliteOptions;

/**
 * Opens the database `url` names (a SQLite file path, `file:` prefix optional) and, unless told
 * not to, brings its schema up to date with the committed migrations.
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  return openSqlite(url, options);
}

/** The product's queries on `db`: what the router's context holds, and nothing more. */
export function createQueries(db: Database): Queries {
  return Object.freeze(sqliteQueries(internalsOf(db)));
}

/** The mirror audit's and the metrics' read-only queries on `db`; never part of the router's context. */
export function createMirrorAuditQueries(db: Database): MirrorAuditQueries {
  return Object.freeze(sqliteMirrorAuditQueries(internalsOf(db)));
}
