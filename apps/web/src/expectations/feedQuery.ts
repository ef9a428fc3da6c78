import { useIsRestoring } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { useEffect, useRef } from 'react';
import { trpc } from '../api/trpc';
import { matchRoute, useLocation } from '../router';
import { feedInputWithoutViewer, parseFeedFilters, type FeedInput } from './feedFilters';

/**
 * Every feed in the cache, whatever its filters: the key prefix tRPC gives the infinite queries
 * of `expectations.list` (each feed's own key adds its input).
 */
export const feedsKey = getQueryKey(trpc.expectations.list, undefined, 'infinite');

/** The input a cached feed was asked with, read from its query key. */
export function feedInputOf(queryKey: readonly unknown[]): FeedInput {
  return (queryKey[1] as { input: FeedInput }).input;
}

/**
 * `expectations.list`, page by page, with tRPC's own infinite query: it asks for each next page
 * with the previous page's `nextCursor` (and `direction: 'forward'`, which the API accepts), and
 * aborts a page's request when the feed unmounts.
 */
export function useFeedQuery(input: FeedInput) {
  return trpc.expectations.list.useInfiniteQuery(input, {
    getNextPageParam: (page) => page.nextCursor,
    trpc: { abortOnUnmount: true },
  });
}

/**
 * When the signed-in app opens on the feed, asks for the feed's first page in the same batched
 * request as the account check (users.ensureExists), instead of once that has answered: the
 * feed's query then finds it in the cache. Only for filters that need no viewer id. Should the
 * account not be set up yet, the list answers 412 like the check, and the feed asks again once
 * the account gate lets it through.
 */
export function PrefetchFeedWithAccount(): null {
  const { pathname, searchParams } = useLocation();
  const isRestoring = useIsRestoring();
  const utils = trpc.useUtils();
  const asked = useRef(false);
  const input = matchRoute(pathname).name === 'feed' ? feedInputWithoutViewer(parseFeedFilters(searchParams)) : null;

  useEffect(() => {
    // The account gate's read starts once a saved cache is restored: in the same tick as this one.
    if (asked.current || isRestoring) return;
    asked.current = true;
    if (input) void utils.expectations.list.prefetchInfinite(input);
  }, [isRestoring, input, utils]);
  return null;
}
