import type { StoredWebhookOutcome, WebhookOutcome } from '../constants';
import { primaryEmail, type ClerkEvent, type WebhookDelivery } from './clerk-event';

export interface ApplyResult {
  outcome: WebhookOutcome;
  /** The mirror row the event concerned, when there is one. */
  userId: number | null;
}

/** What the writer needs to know of a user's current mirror row. */
export interface MirrorRowState {
  id: number;
  clerkUpdatedAt: number;
  deletedAt: number | null;
}

/** The mirror's user columns that an event sets. */
export interface MirrorUserFields {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  username: string | null;
  imageUrl: string | null;
  clerkUpdatedAt: number;
  deletedAt: number | null;
  updatedAt: number;
}

/** What one event does to the mirror, decided before any write; the same on every engine. */
export type MirrorChange =
  | { outcome: 'ignored' | 'stale' }
  | { outcome: 'applied'; insert: MirrorUserFields & { clerkId: string; createdAt: number } }
  | { outcome: 'applied'; update: MirrorUserFields };

/**
 * Svix delivers at least once and in any order, so:
 * - an event older than the stored `clerk_updated_at` changes nothing (stale);
 * - an update for an unknown user creates the row;
 * - deletion is final: it leaves a tombstone that later creates and updates cannot revive.
 * (A repeated svix id is caught before this, by the `webhook_events` row of its first delivery.)
 */
export function planMirrorChange(event: ClerkEvent, row: MirrorRowState | undefined, now: number): MirrorChange {
  switch (event.type) {
    case 'other':
      return { outcome: 'ignored' };
    case 'user.created':
    case 'user.updated': {
      const user = event.data;
      const fields: MirrorUserFields = {
        email: primaryEmail(user),
        firstName: user.first_name,
        lastName: user.last_name,
        username: user.username,
        imageUrl: user.image_url,
        clerkUpdatedAt: user.updated_at,
        deletedAt: null,
        updatedAt: now,
      };
      if (!row) return { outcome: 'applied', insert: { clerkId: user.id, ...fields, createdAt: now } };
      // An equal timestamp is the same version of the user: rewriting it would change nothing.
      if (row.deletedAt !== null || user.updated_at <= row.clerkUpdatedAt) return { outcome: 'stale' };
      return { outcome: 'applied', update: fields };
    }
    case 'user.deleted': {
      const deletedAt = event.timestamp;
      const erased = { email: null, firstName: null, lastName: null, username: null, imageUrl: null, deletedAt, updatedAt: now };
      // Deleted before its creation arrived: the tombstone keeps a late user.created out.
      if (!row) return { outcome: 'applied', insert: { clerkId: event.data.id, ...erased, clerkUpdatedAt: deletedAt, createdAt: now } };
      if (row.deletedAt !== null) return { outcome: 'stale' };
      return { outcome: 'applied', update: { ...erased, clerkUpdatedAt: Math.max(row.clerkUpdatedAt, deletedAt) } };
    }
  }
}

export function clerkUserIdOf(event: ClerkEvent): string | null {
  return event.type === 'other' ? event.clerkUserId : event.data.id;
}

/** The `webhook_events` row of a first delivery. */
export function webhookEventRecord(delivery: WebhookDelivery, outcome: StoredWebhookOutcome) {
  const { event } = delivery;
  return {
    svixId: delivery.svixId,
    type: event.type === 'other' ? event.originalType : event.type,
    clerkUserId: clerkUserIdOf(event),
    outcome,
    clerkUpdatedAt: event.type === 'user.created' || event.type === 'user.updated' ? event.data.updated_at : event.timestamp,
    receivedAt: delivery.receivedAt,
    lastDeliveredAt: delivery.receivedAt,
  };
}
