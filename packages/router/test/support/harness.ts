import { vi } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createQueries } from '@expectations/db';
import { createCaller, createInnerContext, type Context, type RouterLogger } from '@expectations/router';
import { createTempDatabase, mirrorMembership, mirrorOrganization, mirrorUser, type TempDatabase, type TestUser } from '@expectations/db/testing';

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

export interface MemberOptions {
  /** The team they belong to and have active (a Clerk organization id); the harness's team unless given; null for none. */
  team?: string | null;
  /** Their role in it (default `org:member`). */
  role?: string;
}

/**
 * A real migrated database, a logger spy, and callers acting as given Clerk users. Every caller
 * has the harness's team ("Acme") active unless told otherwise, as a signed-in teammate would.
 */
export async function routerHarness() {
  const db: TempDatabase = await createTempDatabase();
  const queries = createQueries(db);
  const log = loggerSpy();
  const team = await mirrorOrganization(db, { name: 'Acme' });
  const contextFor = (clerkUserId: string | null, extra: Partial<Context> = {}, activeOrganizationId: string | null = team.clerkId): Context =>
    createInnerContext({ queries, log, auth: clerkUserId === null ? null : { clerkUserId, activeOrganizationId }, ...extra });
  const callerFor = (clerkUserId: string | null, extra: Partial<Context> = {}, activeOrganizationId: string | null = team.clerkId): Caller =>
    createCaller(contextFor(clerkUserId, extra, activeOrganizationId));
  /** A user whose user.created webhook (and membership webhook) has landed, and a caller signed in as them. */
  const member = async (user: TestUser = {}, options: MemberOptions = {}): Promise<Member> => {
    const { id, clerkId } = await mirrorUser(db, user);
    const inTeam = options.team === undefined ? team.clerkId : options.team;
    if (inTeam !== null) await mirrorMembership(db, { clerkOrganizationId: inTeam, clerkUserId: clerkId, role: options.role ?? 'org:member' });
    return { id, clerkId, caller: callerFor(clerkId, {}, inTeam) };
  };
  return { db, queries, log, team, contextFor, callerFor, member, anonymous: callerFor(null), destroy: () => db.destroy() };
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
