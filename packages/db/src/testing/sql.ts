import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Database } from '../database';
import { internalsOf } from '../internals';
import { users } from '../sqlite/schema/index';

export type UserRow = typeof users.$inferSelect;

/** A user's whole mirror row, email included: for tests of the writer, never for the product. */
export async function findUserByClerkId(db: Database, clerkId: string): Promise<UserRow | undefined> {
  return internalsOf(db).queries.select().from(users).where(eq(users.clerkId, clerkId)).get();
}

/**
 * Runs SQL on the database's query connection (the one the router's queries use, which may not
 * write `users`) and returns its rows: for assertions and fault injection in tests.
 */
export async function sqlRows<T = Record<string, unknown>>(db: Database, text: string, parameters: unknown[] = []): Promise<T[]> {
  return internalsOf(db).queries.$client.prepare(text).all(...parameters) as T[];
}

/** Runs a statement that returns no rows (DDL, writes) on the query connection. */
export async function sqlRun(db: Database, text: string, parameters: unknown[] = []): Promise<void> {
  const connection = internalsOf(db).queries.$client;
  if (parameters.length === 0) connection.exec(text);
  else connection.prepare(text).run(...parameters);
}

/** A fingerprint of everything stored: equal fingerprints mean not one byte was written. */
export async function databaseSnapshot(db: Database): Promise<string> {
  const { path } = internalsOf(db);
  const hash = createHash('sha256');
  for (const file of [path, `${path}-wal`]) {
    hash.update(file.endsWith('-wal') ? 'wal:' : 'db:');
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}
