import { getQueryKey } from '@trpc/react-query';
import { trpc } from '../api/trpc';
import type { ExpectationListInput } from '../api/types';

/** A feed's filters and page size: everything but the cursor (and the paging direction). */
export type FeedInput = Omit<ExpectationListInput, 'cursor' | 'direction'>;

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
