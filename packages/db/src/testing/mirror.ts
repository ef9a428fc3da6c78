import { randomUUID } from 'node:crypto';
import type { Database } from '../database';
import type { ClerkUser } from '../mirror-writer/clerk-event';
import { applyClerkEvent } from '../mirror-writer/index';

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
