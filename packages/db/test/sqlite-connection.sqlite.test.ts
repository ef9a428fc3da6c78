import { afterEach, expect, it } from 'vitest';
import { createTempDatabase, sqlRows, type TempDatabase } from '../src/testing/index';

let db: TempDatabase | undefined;
afterEach(() => db?.destroy());

it('opens SQLite durable: WAL, synchronous=FULL, foreign keys on, a busy timeout', async () => {
  db = await createTempDatabase();
  const pragma = async (name: string) => Object.values((await sqlRows(db!, `PRAGMA ${name}`))[0] ?? {})[0];
  expect(await pragma('journal_mode')).toBe('wal');
  expect(await pragma('synchronous')).toBe(2); // FULL
  expect(await pragma('foreign_keys')).toBe(1);
  expect(await pragma('busy_timeout')).toBe(5000);
});
