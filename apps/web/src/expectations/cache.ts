import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import type { Expectation, ExpectationPage } from '../api/types';
import { feedInputOf, feedsKey } from './feedQuery';
import { listIncludes } from './feedFilters';

type FeedData = InfiniteData<ExpectationPage, string | null>;

/** Every cached page of every feed, whatever its filters. */
function cachedFeeds(queryClient: QueryClient): Array<[QueryKey, FeedData | undefined]> {
  return queryClient.getQueriesData<FeedData>({ queryKey: feedsKey });
}

/** Puts an expectation at the top of every cached feed it belongs in. */
export function insertIntoFeeds(queryClient: QueryClient, expectation: Expectation): void {
  for (const [key, data] of cachedFeeds(queryClient)) {
    const first = data?.pages[0];
    if (!data || !first || !listIncludes(feedInputOf(key), expectation)) continue;
    queryClient.setQueryData<FeedData>(key, {
      ...data,
      pages: [{ ...first, items: [expectation, ...first.items] }, ...data.pages.slice(1)],
    });
  }
}

/** Swaps (or, with null, removes) one expectation wherever a feed holds it. */
export function replaceInFeeds(queryClient: QueryClient, id: number, replacement: Expectation | null): void {
  for (const [key, data] of cachedFeeds(queryClient)) {
    if (!data?.pages.some((page) => page.items.some((item) => item.id === id))) continue;
    queryClient.setQueryData<FeedData>(key, {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        items: page.items.flatMap((item) => (item.id !== id ? [item] : replacement ? [replacement] : [])),
      })),
    });
  }
}

export function findInFeeds(queryClient: QueryClient, id: number): Expectation | undefined {
  for (const [, data] of cachedFeeds(queryClient)) {
    for (const page of data?.pages ?? []) {
      const found = page.items.find((item) => item.id === id);
      if (found) return found;
    }
  }
  return undefined;
}

/** Optimistic entries have negative ids until the API answers with the real one. */
export function isPending(expectation: Pick<Expectation, 'id'>): boolean {
  return expectation.id < 0;
}
