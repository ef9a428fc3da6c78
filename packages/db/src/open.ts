import type { Database } from './database';
import { internalsOf } from './internals';
import type { OpenPostgresOptions } from './postgres/connection';
import type * as PostgresDialect from './postgres/dialect';
import type { MirrorAuditQueries } from './queries/mirror-audit';
import type { Queries } from './queries/types';
import type { QueryEngine } from './queries/engine';
import { mirrorAuditQueries } from './queries/mirror-audit-queries';
import { feedQueries } from './feed/reader';
import { feedEventsAppended } from './feed/signal';
import type { FeedQueries } from './feed/types';
import { productQueries } from './queries/product-queries';
import { openSqlite, type OpenSqliteOptions } from './sqlite/connection';
import { sqliteEngine } from './sqlite/engine';
import { parseDatabaseUrl, parseMirrorWriterUrl } from './url';

export type OpenDatabaseOptions = OpenSqliteOptions & OpenPostgresOptions;

// PostgreSQL's half of the package (its driver, drizzle's pg dialect, its queries) loads with the
// first postgres:// database opened: an API on SQLite never holds it, which measured 3 MiB of
// its idle memory. Every PostgreSQL `Database` comes from openDatabase, after it has loaded.
let postgresDialect: typeof PostgresDialect | undefined;

function loadedPostgresDialect(): typeof PostgresDialect {
  if (!postgresDialect) throw new TypeError('a PostgreSQL database must be opened with openDatabase');
  return postgresDialect;
}

/**
 * Opens the database `url` names (`postgres://…`/`postgresql://…` for PostgreSQL, else a SQLite
 * file path, `file:` prefix optional) and, unless told not to, brings its schema up to date with
 * the committed migrations of that dialect. Throws DatabaseUrlError for a URL it cannot use,
 * DatabaseConnectionError when PostgreSQL does not answer, and, with `mirrorWriterUrl`,
 * DatabasePrivilegeError when DATABASE_URL's role could write the mirror; no message holds a password.
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  const { mirrorWriterUrl, ...openOptions } = options;
  const writerTarget = mirrorWriterUrl === undefined ? undefined : parseMirrorWriterUrl(mirrorWriterUrl, url);
  if (target.dialect === 'sqlite') return openSqlite(target.path, openOptions);
  postgresDialect ??= await import('./postgres/dialect');
  return postgresDialect.openPostgres(target.url, { ...openOptions, ...(writerTarget ? { mirrorWriterUrl: writerTarget.url } : {}) });
}

/**
 * The engine the queries run on: on SQLite the query connection, which cannot write `users`; on
 * PostgreSQL the shared pool, whose connections never set the mirror writer's flag.
 */
export function queryEngineOf(db: Database): QueryEngine {
  const internals = internalsOf(db);
  return internals.dialect === 'sqlite' ? sqliteEngine(internals.queries.$client) : loadedPostgresDialect().postgresEngine(internals.pool);
}

/** The product's queries on `db`: what the router's context holds, and nothing more. */
export function createQueries(db: Database): Queries {
  const internals = internalsOf(db);
  return Object.freeze(productQueries(queryEngineOf(db), () => feedEventsAppended(internals)));
}

/** The mirror audit's and the metrics' read-only queries on `db`; never part of the router's context. */
export function createMirrorAuditQueries(db: Database): MirrorAuditQueries {
  return Object.freeze(mirrorAuditQueries(queryEngineOf(db)));
}

/** The live feed's reads of `feed_events` on `db`: for the API's feed, never part of the router's context as SQL. */
export function createFeedQueries(db: Database): FeedQueries {
  return Object.freeze(feedQueries(queryEngineOf(db)));
}
