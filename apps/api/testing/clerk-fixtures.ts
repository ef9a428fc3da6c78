import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

export type ClerkFixture =
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'organization.created'
  | 'organization.updated'
  | 'organization.deleted'
  | 'organizationMembership.created'
  | 'organizationMembership.updated'
  | 'organizationMembership.deleted';

/** A realistic Clerk event body from ./fixtures (Clerk's payload shapes), freshly parsed so tests may edit it. */
export function clerkFixture(name: ClerkFixture): Record<string, any> {
  return JSON.parse(readFileSync(`${fixturesDir}${name}.json`, 'utf8'));
}

/** The fixture with a different user id and times, for tests that need many distinct users. */
export function clerkUserEvent(
  type: 'user.created' | 'user.updated',
  overrides: { id: string; updatedAt: number; firstName?: string; lastName?: string },
): Record<string, any> {
  const event = clerkFixture(type);
  event.data.id = overrides.id;
  event.data.updated_at = overrides.updatedAt;
  event.timestamp = overrides.updatedAt;
  if (overrides.firstName !== undefined) event.data.first_name = overrides.firstName;
  if (overrides.lastName !== undefined) event.data.last_name = overrides.lastName;
  return event;
}

/** The organization fixture with a different organization id and times. */
export function clerkOrganizationEvent(
  type: 'organization.created' | 'organization.updated',
  overrides: { id: string; updatedAt: number; name?: string },
): Record<string, any> {
  const event = clerkFixture(type);
  event.data.id = overrides.id;
  event.data.updated_at = overrides.updatedAt;
  event.timestamp = overrides.updatedAt;
  if (overrides.name !== undefined) event.data.name = overrides.name;
  return event;
}

/** The membership fixture for another membership, organization and user, with its times. */
export function clerkMembershipEvent(
  type: 'organizationMembership.created' | 'organizationMembership.updated' | 'organizationMembership.deleted',
  overrides: { id: string; organizationId: string; userId: string; updatedAt: number; createdAt?: number; role?: string; at?: number },
): Record<string, any> {
  const event = clerkFixture(type);
  event.data.id = overrides.id;
  event.data.organization.id = overrides.organizationId;
  event.data.public_user_data.user_id = overrides.userId;
  event.data.created_at = overrides.createdAt ?? overrides.updatedAt;
  event.data.updated_at = overrides.updatedAt;
  event.timestamp = overrides.at ?? overrides.updatedAt;
  if (overrides.role !== undefined) event.data.role = overrides.role;
  return event;
}
