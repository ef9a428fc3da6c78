import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/** Hashes the database file and its WAL: equal snapshots mean not one byte was written. */
export function databaseSnapshot(path: string): string {
  const hash = createHash('sha256');
  for (const file of [path, `${path}-wal`]) {
    hash.update(file.endsWith('-wal') ? 'wal:' : 'db:');
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}
