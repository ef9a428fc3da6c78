import { eq } from 'drizzle-orm';
import type { Database } from '../client';
import { users, type UserRow } from '../schema/users';

export async function findUserById(db: Database, id: number): Promise<UserRow | undefined> {
  return db.orm.select().from(users).where(eq(users.id, id)).get();
}

export async function findUserByClerkId(db: Database, clerkId: string): Promise<UserRow | undefined> {
  return db.orm.select().from(users).where(eq(users.clerkId, clerkId)).get();
}

/** The mirror row id for a Clerk user, or undefined when the webhook has not created it. */
export async function findUserIdByClerkId(db: Database, clerkId: string): Promise<number | undefined> {
  return db.orm.select({ id: users.id }).from(users).where(eq(users.clerkId, clerkId)).get()?.id;
}

export async function userExists(db: Database, id: number): Promise<boolean> {
  return db.orm.select({ id: users.id }).from(users).where(eq(users.id, id)).get() !== undefined;
}
