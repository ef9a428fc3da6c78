import { vi } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createCaller, createInnerContext, type RouterLogger } from '@expectations/router';
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

/** A real migrated SQLite file, a logger spy, and callers acting as given Clerk users. */
export function routerHarness() {
  const db: TempDatabase = createTempDatabase();
  const log = loggerSpy();
  const callerFor = (clerkUserId: string | null): Caller =>
    createCaller(createInnerContext({ db, log, auth: clerkUserId === null ? null : { clerkUserId } }));
  /** A user whose user.created webhook has landed, and a caller signed in as them. */
  const member = async (user: TestUser = {}): Promise<Member> => {
    const { id, clerkId } = await mirrorUser(db, user);
    return { id, clerkId, caller: callerFor(clerkId) };
  };
  return { db, log, callerFor, member, anonymous: callerFor(null), destroy: () => db.destroy() };
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
