import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { apiErrorCode } from '../api/errors';
import { spread } from '../api/retryPolicy';
import { trpc } from '../api/trpc';
import type { Expectation, FeedEvent } from '../api/types';
import { useFirstReadsSettled } from '../api/useFirstReadsSettled';
import { applyProfileToFeeds, applyToFeeds, withProfile } from '../expectations/cache';
import { feedsKey } from '../expectations/feedQuery';

/**
 * - `connecting`: the first connection is being made (nothing to say yet);
 * - `live`: changes arrive as they happen;
 * - `reconnecting`: the connection dropped after being live, or cannot be made: what is shown
 *   may be out of date until it is back (it then catches up on what it missed);
 * - `off`: this browser cannot hold a live connection, or the live feed is not running.
 */
export type LiveFeedState = 'connecting' | 'live' | 'reconnecting' | 'off';

const LiveFeedContext = createContext<LiveFeedState>('off');

export function useLiveFeedState(): LiveFeedState {
  return useContext(LiveFeedContext);
}

/** After a refused or failed connection: up to 1 s, 2 s, 4 s … 30 s, until one is live again. */
function reconnectDelay(failures: number): number {
  return spread(Math.min(1000 * 2 ** failures, 30_000));
}

/** After the server refused the feed (access ended): try again this much later, in case it returns. */
const REFUSED_RETRY_MS = 60_000;

function isAccessRefusal(error: unknown): boolean {
  const code = apiErrorCode(error);
  return code === 'FORBIDDEN' || code === 'PRECONDITION_FAILED' || code === 'UNAUTHORIZED';
}

const byIdKey = getQueryKey(trpc.expectations.byId, undefined, 'query');

/** Applies one pushed change to what the cache holds: the feeds, and the expectations opened on their own. */
function applyFeedEvent(queryClient: QueryClient, event: FeedEvent): void {
  switch (event.type) {
    case 'expectation.created':
    case 'expectation.updated': {
      const { expectation } = event;
      applyToFeeds(queryClient, expectation);
      for (const [key, held] of queryClient.getQueriesData<Expectation>({ queryKey: byIdKey })) {
        if (held && held.id === expectation.id && held.updatedAt <= expectation.updatedAt) queryClient.setQueryData(key, expectation);
      }
      return;
    }
    case 'profile.updated': {
      applyProfileToFeeds(queryClient, event.profile);
      for (const [key, held] of queryClient.getQueriesData<Expectation>({ queryKey: byIdKey })) {
        if (held && withProfile(held, event.profile) !== held) queryClient.setQueryData(key, withProfile(held, event.profile));
      }
      return;
    }
    case 'resync':
      // Changes were missed that the server will not replay: what is shown is asked for again.
      void queryClient.invalidateQueries({ queryKey: feedsKey });
      void queryClient.invalidateQueries({ queryKey: byIdKey });
      return;
    case 'ready':
      return;
  }
}

/**
 * Keeps the signed-in person's feed live: one `feed.changes` subscription for the app, opened once
 * the first screen has its data (out of the way of the first paint), whose pushed changes are
 * applied to the query cache in place. A connection that resumes (a dropped network, an API
 * restart, a replica going away) says where it was with `lastEventId` and is sent what it missed;
 * a new one (first, or after the server refused the last) refetches what is shown once it is
 * live, since changes may have landed between that read and the subscription.
 *
 * Under the account gate: the subscription asks for the same account and team membership as
 * every read. When the server ends it (membership ended, account deleted), the feeds and
 * expectations shown are dropped and asked for again, so that the screens show the refusal at
 * once; it tries again a minute later, in case access returns.
 */
export function LiveFeedProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const client = trpc.useUtils().client;
  const firstReadsSettled = useFirstReadsSettled();
  const [state, setState] = useState<LiveFeedState>('off');

  useEffect(() => {
    if (!firstReadsSettled || typeof ReadableStream === 'undefined') return;
    let stopped = false;
    let failures = 0;
    let wasLive = false;
    let refused = false;
    let position: string | null = null;
    let subscription: { unsubscribe(): void } | null = null;
    let retryTimer: number | undefined;

    const connect = () => {
      // Whether this subscription's first `ready` follows a replay of what was missed; the link's
      // own reconnections always resume.
      let resuming = position !== null;
      setState(wasLive ? 'reconnecting' : 'connecting');
      subscription = client.feed.changes.subscribe(
        { lastEventId: position },
        {
          onData({ id, data: event }) {
            position = id;
            if (event.type === 'ready') {
              failures = 0;
              refused = false;
              wasLive = true;
              setState('live');
              if (!resuming) {
                void queryClient.invalidateQueries({ queryKey: feedsKey });
                void queryClient.invalidateQueries({ queryKey: byIdKey });
              }
              resuming = true;
            }
            applyFeedEvent(queryClient, event);
          },
          onConnectionStateChange({ state: connection }) {
            // The link reconnects by itself after a dropped connection, resuming from the last id.
            if (connection === 'connecting' && wasLive) setState('reconnecting');
          },
          onError(error) {
            if (stopped) return;
            subscription = null;
            if (isAccessRefusal(error)) {
              // Access ended (membership, account): the feed's own read, asked again, shows why,
              // and what it showed goes. Once, not at every try; tried again slowly, in case access returns.
              position = null;
              if (!refused) {
                refused = true;
                void queryClient.resetQueries({ queryKey: feedsKey });
                void queryClient.resetQueries({ queryKey: byIdKey });
              }
              setState('off');
              retryTimer = window.setTimeout(connect, spread(REFUSED_RETRY_MS));
              return;
            }
            setState(wasLive ? 'reconnecting' : 'connecting');
            retryTimer = window.setTimeout(connect, reconnectDelay(failures++));
          },
        },
      );
    };
    connect();

    return () => {
      stopped = true;
      window.clearTimeout(retryTimer);
      subscription?.unsubscribe();
      setState('off');
    };
  }, [client, queryClient, firstReadsSettled]);

  return <LiveFeedContext.Provider value={state}>{children}</LiveFeedContext.Provider>;
}
