/**
 * Facts shared by the schema (CHECK lists), the queries, the router's input schemas and the SPA.
 * Plain values with no imports, so any package (a browser bundle too) can take them from
 * `@expectations/db/constants` without pulling in a database driver.
 */

export const expectationStatuses = ['open', 'met', 'missed', 'withdrawn'] as const;
export type ExpectationStatus = (typeof expectationStatuses)[number];

/** What a delivery did, as stored in `webhook_events.outcome`. */
export const storedWebhookOutcomes = ['applied', 'stale', 'ignored'] as const;
export type StoredWebhookOutcome = (typeof storedWebhookOutcomes)[number];
/** `duplicate` is never stored: a repeat delivery bumps `duplicate_deliveries` of the first. */
export type WebhookOutcome = StoredWebhookOutcome | 'duplicate';

/** The Clerk webhook event types the mirror applies; a delivery of any other type is `ignored`. */
export const mirroredClerkEventTypes = [
  'user.created',
  'user.updated',
  'user.deleted',
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'organizationMembership.created',
  'organizationMembership.updated',
  'organizationMembership.deleted',
] as const;
export type MirroredClerkEventType = (typeof mirroredClerkEventTypes)[number];

/**
 * What a `feed_events` row records: an expectation created or changed, a user's public profile
 * changed (or erased), and a membership ended (or a whole team deleted), which ends its members'
 * open feeds. Clients see the first three (src/feed in the router); the last is the server's.
 */
export const feedEventKinds = ['expectation.created', 'expectation.updated', 'profile.updated', 'membership.ended'] as const;
export type FeedEventKind = (typeof feedEventKinds)[number];

/** The display name of a user once Clerk deleted them. */
export const DELETED_USER_NAME = 'Deleted user';
/** The display name of a user with no first name, last name or username. */
export const UNKNOWN_USER_NAME = 'Unknown user';

/** Clerk's role key of a team's admins: they may also withdraw any of the team's expectations. */
export const ORGANIZATION_ADMIN_ROLE = 'org:admin';
