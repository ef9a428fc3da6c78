import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sqlitePathFromUrl } from './sqlite/connection';

/**
 * Copies a live database to `destination` with SQLite's online backup API: safe while the API
 * is running and writing (WAL), and the copy is a consistent snapshot, unlike copying the file.
 */
export async function backupDatabase(url: string, destination: string): Promise<{ pages: number }> {
  const source = new BetterSqlite3(sqlitePathFromUrl(url), { readonly: true, fileMustExist: true });
  try {
    const target = resolve(destination);
    mkdirSync(dirname(target), { recursive: true });
    const { totalPages } = await source.backup(target);
    return { pages: totalPages };
  } finally {
    source.close();
  }
}
