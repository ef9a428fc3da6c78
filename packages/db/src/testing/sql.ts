import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import type { Database } from '../database';
import type { MirrorUserFields } from '../mirror-writer/plan';
import { internalsOf } from '../internals';

/** A users row with every column, email included. */
export type UserRow = MirrorUserFields & { id: number; clerkId: string; createdAt: number; sortName: string };

const userRowColumns = `id, clerk_id AS "clerkId", email, first_name AS "firstName", last_name AS "lastName", username,
  image_url AS "imageUrl", clerk_updated_at AS "clerkUpdatedAt", deleted_at AS "deletedAt", created_at AS "createdAt",
  updated_at AS "updatedAt", sort_name AS "sortName"`;

/** A user's whole mirror row, email included: for tests of the writer, never for the product. */
export async function findUserByClerkId(db: Database, clerkId: string): Promise<UserRow | undefined> {
  const [row] = await sqlRows<UserRow>(db, `SELECT ${userRowColumns} FROM users WHERE clerk_id = ?`, [clerkId]);
  return row;
}

/** An organization's whole mirror row. */
export interface OrganizationRow {
  id: number;
  clerkId: string;
  name: string | null;
  slug: string | null;
  imageUrl: string | null;
  clerkUpdatedAt: number;
  deletedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export async function findOrganizationByClerkId(db: Database, clerkId: string): Promise<OrganizationRow | undefined> {
  const [row] = await sqlRows<OrganizationRow>(
    db,
    `SELECT id, clerk_id AS "clerkId", name, slug, image_url AS "imageUrl", clerk_updated_at AS "clerkUpdatedAt",
       deleted_at AS "deletedAt", created_at AS "createdAt", updated_at AS "updatedAt" FROM organizations WHERE clerk_id = ?`,
    [clerkId],
  );
  return row;
}

/** The membership row of one organization and user (the pair's latest membership). */
export interface MembershipRow {
  id: number;
  clerkId: string;
  clerkOrganizationId: string;
  clerkUserId: string;
  role: string;
  clerkCreatedAt: number;
  clerkUpdatedAt: number;
  deletedAt: number | null;
}

export async function findMembership(db: Database, clerkOrganizationId: string, clerkUserId: string): Promise<MembershipRow | undefined> {
  const [row] = await sqlRows<MembershipRow>(
    db,
    `SELECT id, clerk_id AS "clerkId", clerk_organization_id AS "clerkOrganizationId", clerk_user_id AS "clerkUserId", role,
       clerk_created_at AS "clerkCreatedAt", clerk_updated_at AS "clerkUpdatedAt", deleted_at AS "deletedAt"
     FROM organization_memberships WHERE clerk_organization_id = ? AND clerk_user_id = ?`,
    [clerkOrganizationId, clerkUserId],
  );
  return row;
}

// Tests read counts and epoch-ms columns as numbers on both engines: PostgreSQL's bigint
// (int8, also what count(*) returns) arrives from pg as a string unless parsed.
const numbersAsNumbers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** `?` placeholders (as SQLite writes them) as `$1, $2, …` (as PostgreSQL does), outside quotes. */
function numberedPlaceholders(text: string): string {
  if (/\$1\b/.test(text)) return text; // already numbered
  let n = 0;
  return text.replace(/'(?:[^']|'')*'|\?/g, (match) => (match === '?' ? `$${++n}` : match));
}

/**
 * Runs SQL on the database's query connection (the one the router's queries use, which may not
 * write `users`) and returns its rows: for assertions and fault injection in tests. Write `?`
 * for parameters on either engine (or `$1, $2, …` on PostgreSQL).
 */
export async function sqlRows<T = Record<string, unknown>>(db: Database, text: string, parameters: unknown[] = []): Promise<T[]> {
  const internals = internalsOf(db);
  if (internals.dialect === 'sqlite') return internals.queries.$client.prepare(text).all(...parameters) as T[];
  const result = await internals.pool.query({ text: numberedPlaceholders(text), values: parameters, types: numbersAsNumbers });
  return result.rows as T[];
}

/** Runs statements that return no rows (DDL, writes; several at once when given no parameters). */
export async function sqlRun(db: Database, text: string, parameters: unknown[] = []): Promise<void> {
  const internals = internalsOf(db);
  if (internals.dialect === 'sqlite') {
    const connection = internals.queries.$client;
    if (parameters.length === 0) connection.exec(text);
    else connection.prepare(text).run(...parameters);
    return;
  }
  await internals.pool.query(parameters.length === 0 ? text : { text: numberedPlaceholders(text), values: parameters });
}

/**
 * Tables that are accounting rather than data: the mutation rate limit's buckets count every
 * well-formed attempt to change something, refused or not (as a log would), so a 403 or a 404
 * takes a token. On SQLite they live in memory and are not in the file either.
 */
const ACCOUNTING_TABLES = ['mutation_rate_limits'];

/**
 * A fingerprint of everything stored: equal fingerprints mean nothing was written. On SQLite the
 * bytes of the file and its WAL; on PostgreSQL every row of every data table and every
 * sequence's position (a rolled-back insert still moves its sequence).
 */
export async function databaseSnapshot(db: Database): Promise<string> {
  const internals = internalsOf(db);
  const hash = createHash('sha256');
  if (internals.dialect === 'sqlite') {
    for (const file of [internals.path, `${internals.path}-wal`]) {
      hash.update(file.endsWith('-wal') ? 'wal:' : 'db:');
      if (existsSync(file)) hash.update(readFileSync(file));
    }
    return hash.digest('hex');
  }
  const tables = await sqlRows<{ name: string }>(db, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  for (const { name } of tables.filter((table) => !ACCOUNTING_TABLES.includes(table.name))) {
    hash.update(`table ${name}:`);
    hash.update(JSON.stringify(await sqlRows(db, `SELECT * FROM "${name}" ORDER BY 1`)));
  }
  hash.update(JSON.stringify(await sqlRows(db, "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1")));
  return hash.digest('hex');
}

/**
 * The plan PostgreSQL runs for a statement as the API runs it: prepared by name on a pooled
 * connection (whose plans are generic, see postgres/connection.ts), explained with these values.
 */
export async function explainPrepared(db: Database, text: string, parameters: unknown[], format: 'text' | 'json' = 'text'): Promise<unknown[]> {
  const internals = internalsOf(db);
  if (internals.dialect !== 'postgres') throw new TypeError('explainPrepared explains PostgreSQL statements; SQLite has EXPLAIN QUERY PLAN');
  const client = await internals.pool.connect();
  try {
    await client.query(`PREPARE explained AS ${text}`);
    try {
      const literals = parameters.map((value) => (typeof value === 'number' ? String(value) : client.escapeLiteral(String(value))));
      const { rows } = await client.query(`EXPLAIN (FORMAT ${format.toUpperCase()}) EXECUTE explained${literals.length === 0 ? '' : `(${literals.join(', ')})`}`);
      return format === 'json' ? (rows[0] as { 'QUERY PLAN': unknown[] })['QUERY PLAN'] : rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']);
    } finally {
      await client.query('DEALLOCATE explained');
    }
  } finally {
    client.release();
  }
}
