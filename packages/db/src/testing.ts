/**
 * Test helpers. Only test files may import this entry point (enforced by lint): it reaches
 * the mirror writer, and product code must not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from './client';
import { applyClerkEvent } from './mirror-writer/index';
import type { ClerkUser } from './mirror-writer/clerk-event';

export interface TempDatabase extends Database {
  readonly dir: string;
  /** Closes the database and deletes its folder. */
  destroy(): void;
}

/** A migrated database in a fresh temporary folder: a real SQLite file, as in production. */
export function createTempDatabase(name = 'test.db'): TempDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'expectations-db-'));
  const db = openDatabase(join(dir, name));
  return {
    ...db,
    dir,
    destroy() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestUser {
  clerkId?: string;
  firstName?: string | null;
  lastName?: string | null;
  username?: string | null;
  email?: string | null;
  imageUrl?: string | null;
  updatedAt?: number;
}

/** A Clerk user JSON body, trimmed to what the mirror reads. */
export function clerkUser(user: TestUser = {}): ClerkUser {
  const id = user.clerkId ?? `user_${randomUUID().replaceAll('-', '').slice(0, 27)}`;
  const emailId = `idn_${id.slice(5)}`;
  return {
    id,
    first_name: user.firstName === undefined ? 'Test' : user.firstName,
    last_name: user.lastName === undefined ? 'User' : user.lastName,
    username: user.username ?? null,
    image_url: user.imageUrl === undefined ? 'https://img.example.test/avatar.png' : user.imageUrl,
    primary_email_address_id: user.email === null ? null : emailId,
    email_addresses: user.email === null ? [] : [{ id: emailId, email_address: user.email ?? `${id}@example.test` }],
    updated_at: user.updatedAt ?? Date.now(),
  };
}

/**
 * Puts a user into the mirror through the same writer the webhook route uses, as a
 * `user.created` delivery would. Returns the mirror row id.
 */
export async function mirrorUser(db: Database, user: TestUser = {}): Promise<{ id: number; clerkId: string }> {
  const data = clerkUser(user);
  const result = await applyClerkEvent(db, {
    svixId: `msg_${randomUUID()}`,
    receivedAt: Date.now(),
    event: { type: 'user.created', timestamp: data.updated_at, data },
  });
  if (result.userId === null) throw new Error(`mirrorUser: ${data.id} was not mirrored (${result.outcome})`);
  return { id: result.userId, clerkId: data.id };
}

/** Marks a mirrored user deleted, as a `user.deleted` delivery would. */
export async function deleteMirroredUser(db: Database, clerkId: string): Promise<void> {
  await applyClerkEvent(db, {
    svixId: `msg_${randomUUID()}`,
    receivedAt: Date.now(),
    event: { type: 'user.deleted', timestamp: Date.now(), data: { id: clerkId } },
  });
}

export interface ExecutedStatement {
  sql: string;
  params: unknown[];
}

const executingMethods = new Set<PropertyKey>(['all', 'get', 'run', 'iterate']);

/**
 * Records every statement executed on a connection from now on (not merely prepared: the read
 * path reuses prepared statements, so counting `prepare` calls would miss repeats).
 * Start it on a fresh connection, before the first query: statements prepared earlier are
 * cached per connection and would run unrecorded.
 */
export function recordStatements(db: Database): { executed: ExecutedStatement[]; stop(): void } {
  const { sqlite } = db;
  const executed: ExecutedStatement[] = [];
  const originalPrepare = sqlite.prepare;
  sqlite.prepare = function prepare(source: string) {
    const statement = originalPrepare.call(sqlite, source);
    const recorded: typeof statement = new Proxy(statement, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (executingMethods.has(property)) executed.push({ sql: source, params: args });
          const result: unknown = value.apply(target, args);
          // raw(), pluck() and friends return the statement itself: keep recording through it.
          return result === target ? recorded : result;
        };
      },
    });
    return recorded;
  } as typeof sqlite.prepare;
  return {
    executed,
    stop: () => {
      sqlite.prepare = originalPrepare;
    },
  };
}
