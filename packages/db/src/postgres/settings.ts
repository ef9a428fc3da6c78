// What the rest of the package needs to know of PostgreSQL without loading its driver: the
// driver, drizzle's pg dialect and the queries load only when a postgres:// URL is opened
// (see open.ts), so that an API on SQLite never holds them in memory.

/** Connections each process keeps at most, unless DATABASE_POOL_SIZE says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/**
 * Advisory lock keys (two-int form, class then key), so that this application's locks never
 * meet another application's on the same server.
 */
export const ADVISORY_LOCK_CLASS = { migrations: 0x45_58_50_01, mirrorWriter: 0x45_58_50_02, feedEvents: 0x45_58_50_03 } as const;

/** The LISTEN/NOTIFY channel that tells every replica that `feed_events` has new rows. */
export const FEED_EVENTS_CHANNEL = 'expectations_feed_events';

/** Which of the API's two PostgreSQL connections an error is about: its queries', or the mirror writer's. */
export type PostgresConnectionRole = 'queries' | 'mirrorWriter';

/** PostgreSQL did not answer, or refused the connection. The message never holds a password. */
export class DatabaseConnectionError extends Error {
  override name = 'DatabaseConnectionError';
  constructor(
    message: string,
    /** The URL that failed: DATABASE_URL's (`queries`) or MIRROR_WRITER_DATABASE_URL's (`mirror-writer`). */
    readonly connection: PostgresConnectionRole = 'queries',
  ) {
    super(message);
  }
}

/**
 * The two PostgreSQL roles do not keep the mirror's boundary: the queries' role could write a
 * mirrored table, or the mirror writer's role does not own the schema. The message names the
 * role, the table and the statement that fixes it.
 */
export class DatabasePrivilegeError extends Error {
  override name = 'DatabasePrivilegeError';
}
