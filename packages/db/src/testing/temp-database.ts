import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../database';
import { extendDatabase } from '../internals';
import { openDatabase } from '../open';

export interface TempDatabase extends Database {
  /** The DATABASE_URL it was opened with. */
  readonly url: string;
  /** Closes the database and deletes it. */
  destroy(): Promise<void>;
}

/** A migrated database of its own: a real SQLite file in a fresh temporary folder, as in production. */
export async function createTempDatabase(name = 'test.db'): Promise<TempDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'expectations-db-'));
  const url = `file:${join(dir, name)}`;
  const db = await openDatabase(url);
  const extras = {
    url,
    async destroy() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return extendDatabase(db, extras);
}
