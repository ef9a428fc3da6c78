import { useInfiniteQuery } from '@tanstack/react-query';
import { trpc } from '../api/trpc';
import type { ExpectationListInput } from '../api/types';

/** A feed's filters and page size: everything but the cursor. */
export type FeedInput = Omit<ExpectationListInput, 'cursor'>;

/** Every feed in the cache, whatever its filters, lives under this key. */
export const feedsKey = ['feeds'] as const;

export function feedKey(input: FeedInput) {
  return [...feedsKey, input] as const;
}

/**
 * `expectations.list`, page by page. The pages are requested with exactly the documented input
 * plus `cursor` (tRPC's own infinite query would add a `direction` field the API does not take).
 */
export function useFeedQuery(input: FeedInput) {
  const utils = trpc.useUtils();
  return useInfiniteQuery({
    queryKey: feedKey(input),
    queryFn: ({ pageParam, signal }) => utils.client.expectations.list.query(pageParam ? { ...input, cursor: pageParam } : input, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
