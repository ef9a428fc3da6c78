import { randomUUID } from 'node:crypto';
import type { Database } from '../database';
import type { ClerkOrganization, ClerkOrganizationMembership, ClerkOrganizationMembershipEvent, ClerkUser } from '../mirror-writer/clerk-event';
import { applyClerkEvent, type ApplyResult } from '../mirror-writer/index';
import { sqlRows } from './sql';

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

/**
 * Applies a `user.updated` delivery (Clerk's `updated_at` defaults to now), as a change made in
 * Clerk's profile UI arrives; answers what the writer made of it.
 */
export async function updateMirroredUser(db: Database, user: TestUser & { clerkId: string }, svixId = `msg_${randomUUID()}`): Promise<ApplyResult> {
  const data = clerkUser(user);
  return applyClerkEvent(db, { svixId, receivedAt: Date.now(), event: { type: 'user.updated', timestamp: data.updated_at, data } });
}

/** Marks a mirrored user deleted, as a `user.deleted` delivery would. */
export async function deleteMirroredUser(db: Database, clerkId: string): Promise<void> {
  await applyClerkEvent(db, {
    svixId: `msg_${randomUUID()}`,
    receivedAt: Date.now(),
    event: { type: 'user.deleted', timestamp: Date.now(), data: { id: clerkId } },
  });
}

export interface TestOrganization {
  clerkId?: string;
  name?: string;
  slug?: string | null;
  imageUrl?: string | null;
  updatedAt?: number;
}

/** A Clerk organization JSON body, trimmed to what the mirror reads. */
export function clerkOrganization(organization: TestOrganization = {}): ClerkOrganization {
  const id = organization.clerkId ?? `org_${randomUUID().replaceAll('-', '').slice(0, 27)}`;
  return {
    id,
    name: organization.name ?? 'Test team',
    slug: organization.slug === undefined ? id.slice(4).toLowerCase() : organization.slug,
    image_url: organization.imageUrl === undefined ? 'https://img.example.test/logo.png' : organization.imageUrl,
    updated_at: organization.updatedAt ?? Date.now(),
  };
}

export interface TestMembership {
  clerkId?: string;
  clerkOrganizationId: string;
  clerkUserId: string;
  role?: string;
  createdAt?: number;
  updatedAt?: number;
}

/** A Clerk organization membership JSON body, trimmed to what the mirror reads. */
export function clerkMembership(membership: TestMembership): ClerkOrganizationMembership {
  const updatedAt = membership.updatedAt ?? Date.now();
  return {
    id: membership.clerkId ?? `orgmem_${randomUUID().replaceAll('-', '').slice(0, 27)}`,
    organization: { id: membership.clerkOrganizationId },
    public_user_data: { user_id: membership.clerkUserId },
    role: membership.role ?? 'org:member',
    created_at: membership.createdAt ?? updatedAt,
    updated_at: updatedAt,
  };
}

/**
 * Puts an organization into the mirror through the webhook's writer, as `organization.created`
 * would. Returns the mirror row id (what `expectations.organization_id` holds).
 */
export async function mirrorOrganization(db: Database, organization: TestOrganization = {}): Promise<{ id: number; clerkId: string }> {
  const data = clerkOrganization(organization);
  const result = await applyClerkEvent(db, { svixId: `msg_${randomUUID()}`, receivedAt: Date.now(), event: { type: 'organization.created', timestamp: data.updated_at, data } });
  if (result.outcome !== 'applied') throw new Error(`mirrorOrganization: ${data.id} was not mirrored (${result.outcome})`);
  const [row] = await sqlRows<{ id: number }>(db, 'SELECT id FROM organizations WHERE clerk_id = ?', [data.id]);
  return { id: row!.id, clerkId: data.id };
}

/** Marks an organization deleted, as `organization.deleted` would. */
export async function deleteMirroredOrganization(db: Database, clerkId: string): Promise<void> {
  await applyClerkEvent(db, { svixId: `msg_${randomUUID()}`, receivedAt: Date.now(), event: { type: 'organization.deleted', timestamp: Date.now(), data: { id: clerkId } } });
}

/**
 * Applies a membership event through the webhook's writer (`organizationMembership.created`
 * unless told otherwise) and returns the membership it carried.
 */
export async function mirrorMembership(
  db: Database,
  membership: TestMembership,
  type: ClerkOrganizationMembershipEvent['type'] = 'organizationMembership.created',
): Promise<ClerkOrganizationMembership> {
  const data = clerkMembership(membership);
  await applyClerkEvent(db, { svixId: `msg_${randomUUID()}`, receivedAt: Date.now(), event: { type, timestamp: Date.now(), data } });
  return data;
}
