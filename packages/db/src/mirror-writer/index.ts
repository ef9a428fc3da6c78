/**
 * The only writer of the users mirror. Only the webhook route may import this entry point;
 * the lint rule `no-restricted-imports` and a repository scan in the API's tests enforce it.
 */
export { applyClerkEvent, type ApplyResult } from './apply-clerk-event';
export type { ClerkEmailAddress, ClerkEvent, ClerkUser, WebhookDelivery } from './clerk-event';
