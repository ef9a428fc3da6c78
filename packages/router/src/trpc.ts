import { initTRPC, TRPCError } from '@trpc/server';
import type { ExpectationScope } from '@expectations/db';
import type { Context, SessionAuth } from './context';
import { formatError } from './error-formatter';

// No data transformer: plain JSON in and out, so curl and any HTTP client can call the API.
const t = initTRPC.context<Context>().create({
  errorFormatter: formatError,
  sse: {
    // A comment every 10 s keeps proxies from closing a quiet stream; a client that hears nothing
    // for 25 s (a half-open connection) reconnects, resuming from its last event.
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const SIGN_IN_FIRST_MESSAGE = 'Sign in first: send a valid Clerk session token as "Authorization: Bearer <token>".';

/** Requires a verified Clerk session. */
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.auth) throw new TRPCError({ code: 'UNAUTHORIZED', message: SIGN_IN_FIRST_MESSAGE });
  return next({ ctx: { auth: ctx.auth } });
});

export const ACCOUNT_NOT_READY_MESSAGE =
  'Your account is still being set up: our copy of your profile has not arrived from the sign-in ' +
  'service yet. This usually takes a few seconds; try again shortly, and contact support if it persists.';

export const TEAM_NOT_READY_MESSAGE =
  'Your team membership is still being set up: it has not arrived from the sign-in service yet. ' +
  'This usually takes a few seconds; try again shortly, and contact support if it persists.';

export const TEAM_MEMBERSHIP_ENDED_MESSAGE =
  'You are no longer a member of this team, or the team was deleted. Switch to another team.';

/** Whose expectations the session may read: its active team's, or its personal ones. */
export function scopeOf(auth: SessionAuth): ExpectationScope {
  return { clerkUserId: auth.clerkUserId, clerkOrganizationId: auth.activeOrganizationId };
}

/** The caller's team as a procedure sees it, once their membership is known to be live. */
export interface ActiveTeam {
  organizationId: number;
  clerkOrganizationId: string;
  isAdmin: boolean;
}

/**
 * The caller's mirror row and their membership of the active team, in one statement; throws the
 * error a client can act on when either is missing or over. Neither is ever created here: both
 * are written only by Clerk's webhooks, so a missing one means its webhook has not arrived or failed.
 */
export async function resolveViewer(ctx: Pick<Context, 'queries' | 'log'>, auth: SessionAuth): Promise<{ me: { id: number }; team: ActiveTeam | null }> {
  const { clerkUserId, activeOrganizationId } = auth;
  const viewer = await ctx.queries.findViewer(clerkUserId, activeOrganizationId);
  if (!viewer) {
    ctx.log.error(
      { clerkUserId },
      `Signed-in Clerk user ${clerkUserId} has no row in the users mirror: the user.created webhook has ` +
        'probably not arrived yet or failed. Check the webhook deliveries for this user in Clerk/Svix.',
    );
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: ACCOUNT_NOT_READY_MESSAGE });
  }
  if (viewer.deleted) {
    ctx.log.warn({ clerkUserId, userId: viewer.id }, 'a deleted user still holds a session token');
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This account has been deleted.' });
  }
  const me = { id: viewer.id };
  if (viewer.team === null || activeOrganizationId === null) return { me, team: null };
  switch (viewer.team.state) {
    case 'not_mirrored':
      ctx.log.error(
        { clerkUserId, clerkOrganizationId: activeOrganizationId },
        `Signed-in Clerk user ${clerkUserId} is active in team ${activeOrganizationId}, which the mirror does not ` +
          'hold as their membership: the organization or organizationMembership webhook has probably not arrived yet or failed.',
      );
      throw new TRPCError({ code: 'PRECONDITION_FAILED', message: TEAM_NOT_READY_MESSAGE });
    case 'ended':
      ctx.log.info({ clerkUserId, clerkOrganizationId: activeOrganizationId }, 'a session still names a team whose membership ended');
      throw new TRPCError({ code: 'FORBIDDEN', message: TEAM_MEMBERSHIP_ENDED_MESSAGE });
    case 'member':
      return { me, team: { organizationId: viewer.team.organizationId, clerkOrganizationId: activeOrganizationId, isAdmin: viewer.team.isAdmin } };
  }
}

/**
 * For procedures that act as the caller: resolves the caller's row in the users mirror and, when
 * a team is active, their live membership of it (see resolveViewer).
 */
export const meProcedure = protectedProcedure.use(async ({ ctx, next }) => next({ ctx: await resolveViewer(ctx, ctx.auth) }));

/**
 * For procedures that change data as the caller, after their `.input()`: a per-user rate limit,
 * so one account (or a stolen token) cannot flood the database. Reads are not limited. It runs
 * after input validation, so refused input costs no token and changes nothing (on PostgreSQL the
 * buckets are rows of the database).
 */
export const limitMutations = t.middleware(async ({ ctx, next }) => {
  const clerkUserId = ctx.auth?.clerkUserId;
  if (clerkUserId === undefined) throw new Error('limitMutations belongs after protectedProcedure');
  const waitMs = (await ctx.mutationLimiter?.take(clerkUserId)) ?? null;
  if (waitMs !== null) {
    ctx.log.warn({ clerkUserId, waitMs }, 'mutation rate limit reached');
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `Too many changes in a short time (at most ${ctx.mutationLimiter!.perMinute} a minute). Try again in ${Math.ceil(waitMs / 1000)} s.`,
    });
  }
  return next();
});
