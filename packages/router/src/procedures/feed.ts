import { tracked } from '@trpc/server';
import { z } from 'zod';
import type { FeedRecord, FeedScope } from '@expectations/db';
import type { FeedEvent } from '../feed/events';
import { meProcedure, resolveViewer, router } from '../trpc';

/**
 * Most changes one (re)connection replays from the database: past it, the client is told to
 * refetch (`resync`), which costs one page instead of a long replay, and no connection ever holds
 * more than this many events in memory.
 */
export const FEED_REPLAY_LIMIT = 200;

const feedPosition = z
  .string()
  .regex(/^\d{1,15}$/, 'must be the id of an event this feed sent (digits)')
  .transform(Number);

/** A stored event as the client sees it; null for those only the server acts on. */
function clientEventOf(record: FeedRecord): FeedEvent | null {
  switch (record.kind) {
    case 'expectation.created':
    case 'expectation.updated':
      return { type: record.kind, expectation: record.expectation };
    case 'profile.updated':
      return { type: 'profile.updated', profile: record.profile };
    case 'membership.ended':
      return null;
  }
}

export const feedRouter = router({
  /**
   * The live feed: every change to what the caller's feed shows, pushed as it commits, on any
   * replica. Its scope is the session's: the active team's expectations (or, with no team active,
   * the caller's personal ones), and profile changes of the people who appear in them. See
   * FeedEvent for what arrives.
   *
   * Client contract (tRPC's SSE transport, `httpSubscriptionLink` beside the batch link):
   * - GET `/trpc/feed.changes`, with the Clerk session token as `Authorization: Bearer <token>`
   *   (an EventSource that sends headers, e.g. the `eventsource` package's `fetch` option) or,
   *   for the browser's own EventSource, as the link's `connectionParams: { token }`. Without a
   *   valid token: 401 and no stream. Other refusals (the account or team not mirrored yet: 412;
   *   membership ended, account deleted: 403) arrive as the stream's error and end it.
   * - Every message is tracked: its id is the feed's position. Subscribe before fetching (or
   *   refetch on `ready`); on reconnect the link sends the last id as `lastEventId` and the
   *   stream replays what was missed, then says `ready` again. A `resync` means refetch.
   * - The stream ends with an error when the caller's membership of the team ends or their
   *   account is deleted; a dropped connection (server restart, network) reconnects and resumes.
   */
  changes: meProcedure
    .input(z.strictObject({ lastEventId: feedPosition.nullish() }).prefault({}))
    .subscription(async function* ({ ctx, input, signal }) {
      const feed = ctx.feed;
      if (!feed) throw new Error('feed.changes needs the live feed in its context (createInnerContext({ feed }))');
      const scope: FeedScope = ctx.team ? { organizationId: ctx.team.organizationId } : { personalUserId: ctx.me.id };
      const stopped = signal ?? new AbortController().signal;

      /** This scope's events after `after` from the database, up to its newest row: one read of at most FEED_REPLAY_LIMIT + 1 rows. */
      const replay = async (after: number) => {
        const { newestId } = await feed.queries.feedBounds();
        const through = Math.max(newestId ?? 0, after);
        const records = await feed.queries.replayFeedEvents(scope, after, through, FEED_REPLAY_LIMIT + 1);
        // A membership that ended within the range is not replayed: ask the mirror instead.
        await resolveViewer(ctx, ctx.auth);
        if (records.length > FEED_REPLAY_LIMIT) return { through, messages: [tracked(String(through), { type: 'resync', reason: 'too_far_behind' } satisfies FeedEvent)] };
        const messages = [];
        for (const record of records) {
          const event = clientEventOf(record);
          if (event) messages.push(tracked(String(record.id), event));
        }
        return { through, messages };
      };

      // Subscribed before anything is read, so that nothing committed from here on is missed.
      const subscription = feed.subscribe({ scope, userId: ctx.me.id });
      try {
        const { oldestId, newestId } = await feed.queries.feedBounds();
        let position = newestId ?? 0;
        const resumeFrom = input.lastEventId ?? null;
        if (resumeFrom !== null) {
          // An id never issued here, or one pruned past: what happened since is unknown.
          if (resumeFrom > position || (oldestId !== null && resumeFrom < oldestId - 1)) {
            yield tracked(String(position), { type: 'resync', reason: 'history_expired' } satisfies FeedEvent);
          } else {
            const replayed = await replay(resumeFrom);
            yield* replayed.messages;
            position = replayed.through;
          }
        }
        yield tracked(String(position), { type: 'ready' } satisfies FeedEvent);

        while (!stopped.aborted) {
          const read = subscription.read(position);
          if (read.kind === 'behind') {
            // Fell out of the hub's buffer (a slow reader, or a quiet scope in a busy process).
            const replayed = await replay(position);
            yield* replayed.messages;
            position = replayed.through;
            continue;
          }
          for (const held of read.events) {
            // Throws the error that ends the stream when the membership ended or the account was deleted.
            if (held.recheck) await resolveViewer(ctx, ctx.auth);
            if (held.event) yield tracked(String(held.id), held.event);
          }
          position = read.through;
          if (read.events.length === 0) await subscription.wait(stopped);
        }
      } finally {
        subscription.close();
      }
    }),
});
