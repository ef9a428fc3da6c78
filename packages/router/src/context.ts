import type { MutationLimiter, Queries } from '@expectations/db';
import type { FeedSource } from './feed/feed-hub';
import type { RouterLogger } from './logger';

/** A verified Clerk session: who is calling. Their profile lives in Clerk, not here. */
export interface SessionAuth {
  clerkUserId: string;
  /** The session's active team (a Clerk organization id, `org_…`), or null when none is active. */
  activeOrganizationId: string | null;
}

export type { RouterLogger };

/**
 * Everything a procedure may use. Tests build it directly; the API builds it per request from
 * the verified session (`auth` is null when the request carried no valid session token).
 * The database is reachable only as `queries`: the reads and expectation writes the procedures
 * need, with no handle to run other SQL through and nothing that writes users.
 */
export interface Context {
  queries: Queries;
  auth: SessionAuth | null;
  log: RouterLogger;
  /** The live feed that `feed.changes` streams from (the process's FeedHub); absent, that procedure fails. */
  feed?: FeedSource | undefined;
  /** Limits each user's mutations; absent means unlimited (tests that are not about it). */
  mutationLimiter?: MutationLimiter | undefined;
  /**
   * Send internal errors' own messages and stack traces to the client. Only for local
   * development: they can name SQL, files and other users' data. Off unless set.
   */
  exposeInternalErrors?: boolean | undefined;
}

export function createInnerContext(context: Context): Context {
  return {
    queries: context.queries,
    auth: context.auth,
    log: context.log,
    mutationLimiter: context.mutationLimiter,
    feed: context.feed,
    exposeInternalErrors: context.exposeInternalErrors ?? false,
  };
}
