import type { Database } from './database';
import { internalsOf } from './internals';
import { openPostgres, type OpenPostgresOptions } from './postgres/connection';
import { postgresMirrorAuditQueries } from './postgres/mirror-audit-queries';
import { postgresQueries } from './postgres/queries';
import type { MirrorAuditQueries } from './queries/mirror-audit';
import type { Queries } from './queries/types';
import { openSqlite, type OpenSqliteOptions } from './sqlite/connection';
import { sqliteMirrorAuditQueries } from './sqlite/mirror-audit-queries';
import { sqliteQueries } from './sqlite/queries';
import { parseDatabaseUrl } from './url';

export type OpenDatabaseOptions = OpenSqliteOptions & OpenPostgresOptions;

/**
 * Opens the database `url` names (`postgres://…`/`postgresql://…` for PostgreSQL, else a SQLite
 * file path, `file:` prefix optional) and, unless told not to, brings its schema up to date with
 * the committed migrations of that dialect. Throws DatabaseUrlError for a URL it cannot use and
 * DatabaseConnectionError when PostgreSQL does not answer; neither message holds a password.
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  return target.dialect === 'sqlite' ? openSqlite(target.path, options) : openPostgres(target.url, options);
}

/** The product's queries on `db`: what the router's context holds, and nothing more. */
export function createQueries(db: Database): Queries {
  const internals = internalsOf(db);
  return Object.freeze(internals.dialect === 'sqlite' ? sqliteQueries(internals) : postgresQueries(internals));
}

/** The mirror audit's and the metrics' read-only queries on `db`; never part of the router's context. */
export function createMirrorAuditQueries(db: Database): MirrorAuditQueries {
  const internals = internalsOf(db);
  return Object.freeze(internals.dialect === 'sqlite' ? sqliteMirrorAuditQueries(internals) : postgresMirrorAuditQueries(internals));
}
