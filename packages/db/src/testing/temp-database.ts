import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database, Dialect } from '../database';
import { extendDatabase } from '../internals';
import { openDatabase, type OpenDatabaseOptions } from '../open';
import { testDialect, testPostgresServerUrl } from './dialect';

export interface TempDatabaseUrl {
  readonly dialect: Dialect;
  /** A DATABASE_URL naming an empty database of its own. */
  readonly url: string;
  /** Deletes the database (every connection to it must be closed first on SQLite). */
  destroy(): Promise<void>;
}

/**
 * A fresh, empty database for one test or one API process: a file in a new temporary folder on
 * SQLite; a new database on the run's throwaway server on PostgreSQL.
 */
export async function createTempDatabaseUrl(
  options: { dialect?: Dialect; /** Default: the run's own server (tests). */ postgresServerUrl?: string } = {},
): Promise<TempDatabaseUrl> {
  const dialect = options.dialect ?? testDialect();
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'expectations-db-'));
    return { dialect, url: `file:${join(dir, 'test.db')}`, destroy: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const serverUrl = options.postgresServerUrl ?? testPostgresServerUrl();
  const name = `test_${randomBytes(8).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    // FORCE: a test that failed half-way may have left connections open.
    destroy: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client(serverUrl);
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface TempDatabase extends Database {
  /** The DATABASE_URL it was opened with. */
  readonly url: string;
  /** Closes the database and deletes it. */
  destroy(): Promise<void>;
}

/** A migrated database of its own, opened: a real SQLite file, or a real PostgreSQL database. */
export async function createTempDatabase(options: OpenDatabaseOptions & { dialect?: Dialect } = {}): Promise<TempDatabase> {
  const { dialect, ...openOptions } = options;
  const temp = await createTempDatabaseUrl(dialect ? { dialect } : {});
  const db = await openDatabase(temp.url, openOptions);
  const extras = {
    url: temp.url,
    async destroy() {
      await db.close();
      await temp.destroy();
    },
  };
  return extendDatabase(db, extras);
}
