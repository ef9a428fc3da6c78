import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DatabaseUrlError, parseDatabaseUrl } from './url';

/**
 * Copies a live database to `destination` with SQLite's online backup API: safe while the API
 * is running and writing (WAL), and the copy is a consistent snapshot, unlike copying the file.
 */
export async function backupDatabase(url: string, destination: string): Promise<{ pages: number }> {
  const target = parseDatabaseUrl(url);
  if (target.dialect !== 'sqlite') {
    throw new DatabaseUrlError('this backs up a SQLite file; for PostgreSQL use pg_dump (see docs/operations.md)');
  }
  const source = new BetterSqlite3(target.path, { readonly: true, fileMustExist: true });
  try {
    const copy = resolve(destination);
    mkdirSync(dirname(copy), { recursive: true });
    const { totalPages } = await source.backup(copy);
    return { pages: totalPages };
  } finally {
    source.close();
  }
}
