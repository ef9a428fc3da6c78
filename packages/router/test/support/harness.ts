import { vi } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createQueries } from '@expectations/db';
import { createCaller, createInnerContext, type Context, type RouterLogger } from '@expectations/router';
import { createTempDatabase, mirrorUser, type TempDatabase, type TestUser } from '@expectations/db/testing';

export interface LoggerSpy extends RouterLogger {
  error: ReturnType<typeof vi.fn<RouterLogger['error']>>;
  warn: ReturnType<typeof vi.fn<RouterLogger['warn']>>;
  info: ReturnType<typeof vi.fn<RouterLogger['info']>>;
}

export function loggerSpy(): LoggerSpy {
  return { error: vi.fn(), warn: vi.fn(), info: vi.fn() };
}

export type Caller = ReturnType<typeof createCaller>;

export interface Member {
  id: number;
  clerkId: string;
  caller: Caller;
}

export type RouterHarness = Awaited<ReturnType<typeof routerHarness>>;

/** A real migrated database, a logger spy, and callers acting as given Clerk users. */
export async function routerHarness() {
  const db: TempDatabase = await createTempDatabase();
  const queries = createQueries(db);
  const log = loggerSpy();
  const contextFor = (clerkUserId: string | null, extra: Partial<Context> = {}): Context =>
    createInnerContext({ queries, log, auth: clerkUserId === null ? null : { clerkUserId }, ...extra });
  const callerFor = (clerkUserId: string | null, extra: Partial<Context> = {}): Caller => createCaller(contextFor(clerkUserId, extra));
  /** A user whose user.created webhook has landed, and a caller signed in as them. */
  const member = async (user: TestUser = {}): Promise<Member> => {
    const { id, clerkId } = await mirrorUser(db, user);
    return { id, clerkId, caller: callerFor(clerkId) };
  };
  return { db, queries, log, contextFor, callerFor, member, anonymous: callerFor(null), destroy: () => db.destroy() };
}

/** The TRPCError a call rejected with (fails the test if it resolved or threw something else). */
export async function trpcErrorOf(call: Promise<unknown>): Promise<TRPCError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
