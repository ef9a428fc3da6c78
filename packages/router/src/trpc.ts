import { initTRPC, TRPCError } from '@trpc/server';
import type { Context } from './context';
import { formatError } from './error-formatter';

// No data transformer: plain JSON in and out, so curl and any HTTP client can call the API.
const t = initTRPC.context<Context>().create({ errorFormatter: formatError });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Requires a verified Clerk session. */
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.auth) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'Sign in first: send a valid Clerk session token as "Authorization: Bearer <token>".',
    });
  }
  return next({ ctx: { auth: ctx.auth } });
});

export const ACCOUNT_NOT_READY_MESSAGE =
  'Your account is still being set up: our copy of your profile has not arrived from the sign-in ' +
  'service yet. This usually takes a few seconds; try again shortly, and contact support if it persists.';

/**
 * For procedures that act as the caller: resolves the caller's row in the users mirror.
 * The row is written only by Clerk's user webhook, so a missing row means that webhook has not
 * arrived or failed. It is never created here.
 */
export const meProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  const { clerkUserId } = ctx.auth;
  const row = await ctx.queries.findMirrorStatusByClerkId(clerkUserId);
  if (!row) {
    ctx.log.error(
      { clerkUserId },
      `Signed-in Clerk user ${clerkUserId} has no row in the users mirror: the user.created webhook has ` +
        'probably not arrived yet or failed. Check the webhook deliveries for this user in Clerk/Svix.',
    );
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: ACCOUNT_NOT_READY_MESSAGE });
  }
  if (row.deleted) {
    ctx.log.warn({ clerkUserId, userId: row.id }, 'a deleted user still holds a session token');
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This account has been deleted.' });
  }
  return next({ ctx: { me: { id: row.id } } });
});

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
