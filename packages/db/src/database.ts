/** The engines `DATABASE_URL` can name. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * An open database, as the API holds it. Deliberately opaque: it offers no handle to run SQL
 * through. Reads and expectation writes go through `createQueries(db)`; users are written only
 * through `@expectations/db/mirror-writer`.
 */
export interface Database {
  readonly dialect: Dialect;
  /** Where the data lives, for logs: a file path, or user@host:port/database (never a password). */
  readonly location: string;
  /** Where the mirror writer connects, when it has a PostgreSQL role of its own (MIRROR_WRITER_DATABASE_URL). */
  readonly mirrorWriterLocation?: string;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  /** Closes every connection. Safe to call twice. */
  close(): Promise<void>;
}
