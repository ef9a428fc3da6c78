import type { ServerResponse } from 'node:http';
import { createFeedQueries, pruneFeedEvents, watchFeedEvents, type Database } from '@expectations/db';
import { appRouter, FeedHub } from '@expectations/router';
import type { Logger } from '../logger';
import { createSubscriptionStreams, type SubscriptionStreams } from './subscription-stream';

/**
 * How often the hub looks for new rows even when nothing woke it: a safety net under NOTIFY and
 * the in-process wake-up, which announce every commit; one indexed read per interval.
 */
export const FEED_SAFETY_READ_INTERVAL_MS = 5_000;
/** How often each API process prunes `feed_events`: rows outlive the window by at most this. */
export const FEED_EVENTS_PRUNE_INTERVAL_MS = 10 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export interface LiveFeed {
  readonly hub: FeedHub;
  /** Writes feed.changes streams to their sockets (see subscription-stream.ts). */
  readonly streams: SubscriptionStreams;
  /** Keeps `res` (an open feed.changes stream) to close it when the API shuts down. */
  track(res: ServerResponse): void;
  /** Prunes `feed_events` now (also what the timer does); resolves with the rows deleted. */
  pruneNow(): Promise<number>;
  /** Closes every open stream (their clients reconnect elsewhere and resume), stops reading and pruning. */
  close(): Promise<void>;
}

/**
 * The API process's side of the live feed: the hub that reads `feed_events` once for every open
 * feed, woken by each commit through this process and, on PostgreSQL, by NOTIFY from any replica;
 * and the retention that keeps the table to `retentionHours` (a client resuming from before it is
 * told to refetch).
 */
export async function startLiveFeed(options: { db: Database; log: Logger; retentionHours: number; now?: () => number }): Promise<LiveFeed> {
  const { db, log, retentionHours } = options;
  const now = options.now ?? Date.now;
  const hub = new FeedHub({ queries: createFeedQueries(db), log });
  await hub.start();
  const wake = () => void hub.wake();
  const watch = await watchFeedEvents(db, wake, (error) => log.warn({ err: error }, 'live feed: lost the connection that listens for other replicas’ changes; listening again'));
  const safetyRead = setInterval(wake, FEED_SAFETY_READ_INTERVAL_MS).unref();

  let pruning: Promise<number> | undefined;
  const pruneNow = () =>
    (pruning ??= pruneFeedEvents(db, { createdBefore: now() - retentionHours * HOUR_MS })
      .then((count) => {
        if (count > 0) log.info({ pruned: count, retentionHours }, 'feed_events: pruned rows older than the retention window');
        return count;
      })
      .finally(() => (pruning = undefined)));
  const prune = () => void pruneNow().catch((error: unknown) => log.warn({ err: error }, 'feed_events: pruning failed; trying again at the next tick'));
  const pruneTimer = setInterval(prune, FEED_EVENTS_PRUNE_INTERVAL_MS).unref();
  const firstPrune = setImmediate(prune);

  const subscriptionStreams = createSubscriptionStreams({
    router: appRouter,
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error.cause ?? error, path, type: 'subscription' }, 'trpc subscription failed');
    },
  });
  const streams = new Set<ServerResponse>();
  return {
    hub,
    streams: subscriptionStreams,
    track(res) {
      streams.add(res);
      res.once('close', () => streams.delete(res));
    },
    pruneNow,
    async close() {
      clearInterval(safetyRead);
      clearInterval(pruneTimer);
      clearImmediate(firstPrune);
      subscriptionStreams.close();
      for (const res of streams) res.destroy();
      await watch.close();
      await pruning?.catch(() => undefined);
    },
  };
}
