import { eq, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { users } from '../schema/users';
import { webhookEvents, type WebhookOutcome } from '../schema/webhook-events';
import { primaryEmail, type ClerkEvent, type ClerkUser, type WebhookDelivery } from './clerk-event';

export interface ApplyResult {
  outcome: WebhookOutcome;
  /** The mirror row the event concerned, when there is one. */
  userId: number | null;
}

type Tx = Parameters<Parameters<Database['orm']['transaction']>[0]>[0];

/**
 * Applies one verified Clerk event to the users mirror and records the delivery, in one
 * synchronous IMMEDIATE transaction: either both the mirror change and its `webhook_events`
 * row commit, or neither does. When the returned promise resolves, the change is on disk.
 *
 * Svix delivers at least once and in any order, so:
 * - a repeated svix id changes nothing (duplicate);
 * - an event older than the stored `clerk_updated_at` changes nothing (stale);
 * - an update for an unknown user creates the row;
 * - deletion is final: it leaves a tombstone that later creates and updates cannot revive.
 */
// async only at the boundary: better-sqlite3 rolls back synchronous transactions, not async ones.
export async function applyClerkEvent(db: Database, delivery: WebhookDelivery): Promise<ApplyResult> {
  return db.orm.transaction(
    (tx) => {
      const seen = tx
        .select({ svixId: webhookEvents.svixId })
        .from(webhookEvents)
        .where(eq(webhookEvents.svixId, delivery.svixId))
        .get();
      if (seen) {
        tx.update(webhookEvents)
          .set({
            duplicateDeliveries: sql`${webhookEvents.duplicateDeliveries} + 1`,
            lastDeliveredAt: delivery.receivedAt,
          })
          .where(eq(webhookEvents.svixId, delivery.svixId))
          .run();
        const existing = clerkUserIdOf(delivery.event);
        const row = existing ? findRow(tx, existing) : undefined;
        return { outcome: 'duplicate', userId: row?.id ?? null };
      }

      const result = applyEvent(tx, delivery.event, delivery.receivedAt);
      tx.insert(webhookEvents)
        .values({
          svixId: delivery.svixId,
          type: delivery.event.type === 'other' ? delivery.event.originalType : delivery.event.type,
          clerkUserId: clerkUserIdOf(delivery.event),
          outcome: result.outcome as Exclude<WebhookOutcome, 'duplicate'>,
          clerkUpdatedAt: eventTime(delivery.event),
          receivedAt: delivery.receivedAt,
          lastDeliveredAt: delivery.receivedAt,
        })
        .run();
      return result;
    },
    { behavior: 'immediate' },
  );
}

function applyEvent(tx: Tx, event: ClerkEvent, now: number): ApplyResult {
  switch (event.type) {
    case 'user.created':
    case 'user.updated':
      return upsertUser(tx, event.data, now);
    case 'user.deleted':
      return tombstoneUser(tx, event.data.id, event.timestamp, now);
    case 'other':
      return { outcome: 'ignored', userId: null };
  }
}

function upsertUser(tx: Tx, user: ClerkUser, now: number): ApplyResult {
  const fields = {
    email: primaryEmail(user),
    firstName: user.first_name,
    lastName: user.last_name,
    username: user.username,
    imageUrl: user.image_url,
    clerkUpdatedAt: user.updated_at,
    updatedAt: now,
  };
  const row = findRow(tx, user.id);
  if (!row) {
    const inserted = tx
      .insert(users)
      .values({ clerkId: user.id, ...fields, createdAt: now })
      .returning({ id: users.id })
      .get();
    return { outcome: 'applied', userId: inserted.id };
  }
  // An equal timestamp is the same version of the user: rewriting it would change nothing.
  if (row.deletedAt !== null || user.updated_at <= row.clerkUpdatedAt) {
    return { outcome: 'stale', userId: row.id };
  }
  tx.update(users).set(fields).where(eq(users.id, row.id)).run();
  return { outcome: 'applied', userId: row.id };
}

function tombstoneUser(tx: Tx, clerkId: string, deletedAt: number, now: number): ApplyResult {
  const erased = { email: null, firstName: null, lastName: null, username: null, imageUrl: null };
  const row = findRow(tx, clerkId);
  if (!row) {
    // Deleted before its creation arrived: the tombstone keeps a late user.created out.
    const inserted = tx
      .insert(users)
      .values({ clerkId, ...erased, clerkUpdatedAt: deletedAt, deletedAt, createdAt: now, updatedAt: now })
      .returning({ id: users.id })
      .get();
    return { outcome: 'applied', userId: inserted.id };
  }
  if (row.deletedAt !== null) return { outcome: 'stale', userId: row.id };
  tx.update(users)
    .set({ ...erased, deletedAt, clerkUpdatedAt: Math.max(row.clerkUpdatedAt, deletedAt), updatedAt: now })
    .where(eq(users.id, row.id))
    .run();
  return { outcome: 'applied', userId: row.id };
}

function findRow(tx: Tx, clerkId: string) {
  return tx
    .select({ id: users.id, clerkUpdatedAt: users.clerkUpdatedAt, deletedAt: users.deletedAt })
    .from(users)
    .where(eq(users.clerkId, clerkId))
    .get();
}

function clerkUserIdOf(event: ClerkEvent): string | null {
  return event.type === 'other' ? event.clerkUserId : event.data.id;
}

function eventTime(event: ClerkEvent): number {
  return event.type === 'user.created' || event.type === 'user.updated' ? event.data.updated_at : event.timestamp;
}
