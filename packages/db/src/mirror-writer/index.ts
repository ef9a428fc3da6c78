/**
 * The only writer of the mirror of Clerk: users, organizations and organization memberships.
 * Only the webhook route may import this entry point; the lint rule `no-restricted-imports` and
 * a repository scan in the API's tests enforce it, and the database itself refuses writes to the
 * mirrored tables from anywhere else.
 */
import type { Database } from '../database';
import { internalsOf } from '../internals';
import type { WebhookDelivery } from './clerk-event';
import type { ApplyResult } from './plan';
import type * as PostgresWriter from './postgres';
import { applyOnSqlite } from './sqlite';

export type {
  ClerkEmailAddress,
  ClerkEvent,
  ClerkOrganization,
  ClerkOrganizationEvent,
  ClerkOrganizationMembership,
  ClerkOrganizationMembershipEvent,
  ClerkOtherEvent,
  ClerkUser,
  ClerkUserEvent,
  WebhookDelivery,
} from './clerk-event';
export type { ApplyResult } from './plan';

/**
 * Applies one verified Clerk event to the mirror and records the delivery, in one
 * transaction: either both the mirror change and its `webhook_events` row commit, or neither
 * does. When the returned promise resolves, the change is durable.
 */
// async only at the boundary: better-sqlite3 rolls back synchronous transactions, not async ones.
export async function applyClerkEvent(db: Database, delivery: WebhookDelivery): Promise<ApplyResult> {
  const internals = internalsOf(db);
  if (internals.dialect === 'sqlite') return applyOnSqlite(internals, delivery);
  // Loaded with the first delivery on PostgreSQL, as the rest of that dialect is (see open.ts), but
  // by its own import: the module the queries load from must never carry the writer.
  postgresWriter ??= await import('./postgres');
  return postgresWriter.applyOnPostgres(internals, delivery);
}

let postgresWriter: typeof PostgresWriter | undefined;
