import type { StoredWebhookOutcome, WebhookOutcome } from '../constants';
import {
  primaryEmail,
  type ClerkEvent,
  type ClerkOrganizationEvent,
  type ClerkOrganizationMembershipEvent,
  type ClerkOtherEvent,
  type ClerkUserEvent,
  type WebhookDelivery,
} from './clerk-event';

export interface ApplyResult {
  outcome: WebhookOutcome;
  /** The users mirror row a user event concerned, when there is one; null for other events. */
  userId: number | null;
}

/** What the writer needs to know of a user's or an organization's current mirror row. */
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

/** The mirror's organization columns that an event sets. */
export interface MirrorOrganizationFields {
  name: string | null;
  slug: string | null;
  imageUrl: string | null;
  clerkUpdatedAt: number;
  deletedAt: number | null;
  updatedAt: number;
}

/** What the writer needs to know of the membership row of one organization and user. */
export interface MembershipRowState {
  id: number;
  /** The membership the row holds: the pair's latest one seen so far. */
  clerkId: string;
  clerkCreatedAt: number;
  clerkUpdatedAt: number;
  deletedAt: number | null;
}

/** The mirror's membership columns that an event sets (the pair itself never changes). */
export interface MirrorMembershipFields {
  clerkId: string;
  role: string;
  clerkCreatedAt: number;
  clerkUpdatedAt: number;
  deletedAt: number | null;
  updatedAt: number;
}

/** What one event does to a mirror table, decided before any write; the same on every engine. */
export type MirrorChange<Fields, Key> =
  | { outcome: 'ignored' | 'stale' }
  | { outcome: 'applied'; insert: Fields & Key & { createdAt: number } }
  | { outcome: 'applied'; update: Fields };

export type UserChange = MirrorChange<MirrorUserFields, { clerkId: string }>;
export type OrganizationChange = MirrorChange<MirrorOrganizationFields, { clerkId: string }>;
export type MembershipChange = MirrorChange<MirrorMembershipFields, { clerkOrganizationId: string; clerkUserId: string }>;

/**
 * Svix delivers at least once and in any order, so, for users and organizations alike:
 * - an event older than the stored `clerk_updated_at` changes nothing (stale);
 * - an update for an unknown key creates the row;
 * - deletion is final: it leaves a tombstone that later creates and updates cannot revive.
 * (A repeated svix id is caught before this, by the `webhook_events` row of its first delivery.)
 */
export function planUserChange(event: ClerkUserEvent | ClerkOtherEvent, row: MirrorRowState | undefined, now: number): UserChange {
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
      return upsertOf(row, user.updated_at, fields, { clerkId: user.id }, now);
    }
    case 'user.deleted': {
      const erased = { email: null, firstName: null, lastName: null, username: null, imageUrl: null };
      return tombstoneOf(row, event.timestamp, erased, { clerkId: event.data.id }, now);
    }
  }
}

/** The same rules as users; a deleted organization's name, slug and logo are erased as a user's profile is. */
export function planOrganizationChange(event: ClerkOrganizationEvent, row: MirrorRowState | undefined, now: number): OrganizationChange {
  switch (event.type) {
    case 'organization.created':
    case 'organization.updated': {
      const organization = event.data;
      const fields: MirrorOrganizationFields = {
        name: organization.name,
        slug: organization.slug,
        imageUrl: organization.image_url,
        clerkUpdatedAt: organization.updated_at,
        deletedAt: null,
        updatedAt: now,
      };
      return upsertOf(row, organization.updated_at, fields, { clerkId: organization.id }, now);
    }
    case 'organization.deleted':
      return tombstoneOf(row, event.timestamp, { name: null, slug: null, imageUrl: null }, { clerkId: event.data.id }, now);
  }
}

/**
 * A membership row stands for one organization and user, and holds that pair's latest
 * membership. Within one membership the rules are those of users (stale by `updated_at`, deletion
 * final). A user removed and added again gets a new membership, created later: an event of a
 * membership created after the one the row holds takes the row over, whatever the old one's
 * state, and an event of one created before it is stale. So a removed membership's late events
 * never bring the pair back, and a new membership is never kept out by an old tombstone.
 */
export function planMembershipChange(event: ClerkOrganizationMembershipEvent, row: MembershipRowState | undefined, now: number): MembershipChange {
  const membership = event.data;
  const deletedAt = event.type === 'organizationMembership.deleted' ? event.timestamp : null;
  const fields: MirrorMembershipFields = {
    clerkId: membership.id,
    role: membership.role,
    clerkCreatedAt: membership.created_at,
    clerkUpdatedAt: deletedAt ?? membership.updated_at,
    deletedAt,
    updatedAt: now,
  };
  if (!row) {
    const pair = { clerkOrganizationId: membership.organization.id, clerkUserId: membership.public_user_data.user_id };
    return { outcome: 'applied', insert: { ...fields, ...pair, createdAt: now } };
  }
  if (membership.id !== row.clerkId) return isLaterMembership(membership, row) ? { outcome: 'applied', update: fields } : { outcome: 'stale' };
  if (row.deletedAt !== null) return { outcome: 'stale' };
  if (deletedAt !== null) return { outcome: 'applied', update: { ...fields, clerkUpdatedAt: Math.max(row.clerkUpdatedAt, deletedAt) } };
  return membership.updated_at <= row.clerkUpdatedAt ? { outcome: 'stale' } : { outcome: 'applied', update: fields };
}

/** Whether `membership` began after the row's: by Clerk's `created_at`, then (never in practice) by id. */
function isLaterMembership(membership: { id: string; created_at: number }, row: MembershipRowState): boolean {
  return membership.created_at !== row.clerkCreatedAt ? membership.created_at > row.clerkCreatedAt : membership.id > row.clerkId;
}

function upsertOf<Fields, Key>(
  row: MirrorRowState | undefined,
  updatedAt: number,
  fields: Fields,
  key: Key,
  now: number,
): MirrorChange<Fields, Key> {
  if (!row) return { outcome: 'applied', insert: { ...fields, ...key, createdAt: now } };
  // An equal timestamp is the same version: rewriting it would change nothing.
  if (row.deletedAt !== null || updatedAt <= row.clerkUpdatedAt) return { outcome: 'stale' };
  return { outcome: 'applied', update: fields };
}

function tombstoneOf<Erased extends object, Key>(
  row: MirrorRowState | undefined,
  deletedAt: number,
  erased: Erased,
  key: Key,
  now: number,
): MirrorChange<Erased & { clerkUpdatedAt: number; deletedAt: number; updatedAt: number }, Key> {
  // Deleted before its creation arrived: the tombstone keeps a late create out.
  if (!row) return { outcome: 'applied', insert: { ...erased, ...key, clerkUpdatedAt: deletedAt, deletedAt, updatedAt: now, createdAt: now } };
  if (row.deletedAt !== null) return { outcome: 'stale' };
  return { outcome: 'applied', update: { ...erased, clerkUpdatedAt: Math.max(row.clerkUpdatedAt, deletedAt), deletedAt, updatedAt: now } };
}

/** Which Clerk user and organization an event concerned, as `webhook_events` records them. */
export function clerkIdsOf(event: ClerkEvent): { clerkUserId: string | null; clerkOrganizationId: string | null } {
  switch (event.type) {
    case 'other':
      return { clerkUserId: event.clerkUserId, clerkOrganizationId: null };
    case 'user.created':
    case 'user.updated':
    case 'user.deleted':
      return { clerkUserId: event.data.id, clerkOrganizationId: null };
    case 'organization.created':
    case 'organization.updated':
    case 'organization.deleted':
      return { clerkUserId: null, clerkOrganizationId: event.data.id };
    case 'organizationMembership.created':
    case 'organizationMembership.updated':
    case 'organizationMembership.deleted':
      return { clerkUserId: event.data.public_user_data.user_id, clerkOrganizationId: event.data.organization.id };
  }
}

/**
 * The key deliveries are serialised on (PostgreSQL's advisory lock): the mirror row an event
 * writes, so two replicas never judge one row's events side by side. Null for an event that
 * names nothing; the svix id then stands in.
 */
export function mirrorKeyOf(event: ClerkEvent): string | null {
  switch (event.type) {
    case 'other':
      return event.clerkUserId;
    case 'user.created':
    case 'user.updated':
    case 'user.deleted':
    case 'organization.created':
    case 'organization.updated':
    case 'organization.deleted':
      return event.data.id;
    case 'organizationMembership.created':
    case 'organizationMembership.updated':
    case 'organizationMembership.deleted':
      // The row is the pair's, whichever membership of it the event is about.
      return `${event.data.organization.id} ${event.data.public_user_data.user_id}`;
  }
}

/** Clerk's version of what the event carries: `data.updated_at`, or the event's time for deletions. */
function clerkUpdatedAtOf(event: ClerkEvent): number {
  switch (event.type) {
    case 'user.created':
    case 'user.updated':
    case 'organization.created':
    case 'organization.updated':
    case 'organizationMembership.created':
    case 'organizationMembership.updated':
      return event.data.updated_at;
    default:
      return event.timestamp;
  }
}

/** The `webhook_events` row of a first delivery. */
export function webhookEventRecord(delivery: WebhookDelivery, outcome: StoredWebhookOutcome) {
  const { event } = delivery;
  return {
    svixId: delivery.svixId,
    type: event.type === 'other' ? event.originalType : event.type,
    ...clerkIdsOf(event),
    outcome,
    clerkUpdatedAt: clerkUpdatedAtOf(event),
    receivedAt: delivery.receivedAt,
    lastDeliveredAt: delivery.receivedAt,
  };
}
