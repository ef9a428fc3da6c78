import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import type { Expectation, ExpectationPage, PublicProfile } from '../api/types';
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

/**
 * Where a feed ordered newest first (by id) holds `id`: the page and the index to insert at, or
 * null when it falls past the loaded pages (it arrives with a later page). Optimistic entries
 * (negative ids) stay on top.
 */
function sortedSlot(data: FeedData, id: number): { page: number; index: number } | null {
  for (const [page, { items }] of data.pages.entries()) {
    const index = items.findIndex((item) => !isPending(item) && item.id < id);
    if (index !== -1) return { page, index };
  }
  const last = data.pages.length - 1;
  if (last < 0 || data.pages[last]!.nextCursor !== null) return null;
  return { page: last, index: data.pages[last]!.items.length };
}

/**
 * A change pushed by the live feed, applied to every cached feed: replaced where a feed shows it
 * (unless the feed holds a newer version), removed from those whose filters it no longer matches,
 * and put in its place, by id, in those it now belongs to. No refetch.
 */
export function applyToFeeds(queryClient: QueryClient, expectation: Expectation): void {
  for (const [key, data] of cachedFeeds(queryClient)) {
    if (!data) continue;
    const belongs = listIncludes(feedInputOf(key), expectation);
    const held = data.pages.flatMap((page) => page.items).find((item) => item.id === expectation.id);
    if (held && held.updatedAt > expectation.updatedAt) continue;
    let pages: ExpectationPage[];
    if (held) {
      pages = data.pages.map((page) => ({
        ...page,
        items: page.items.flatMap((item) => (item.id !== expectation.id ? [item] : belongs ? [expectation] : [])),
      }));
    } else {
      const slot = belongs ? sortedSlot(data, expectation.id) : null;
      if (!slot) continue;
      pages = data.pages.map((page, index) =>
        index !== slot.page ? page : { ...page, items: [...page.items.slice(0, slot.index), expectation, ...page.items.slice(slot.index)] },
      );
    }
    queryClient.setQueryData<FeedData>(key, { ...data, pages });
  }
}

/** The expectation with a person's latest name and picture, wherever they appear in it. */
export function withProfile(expectation: Expectation, profile: PublicProfile): Expectation {
  const author = expectation.author.id === profile.id ? profile : expectation.author;
  const assignee = expectation.assignee?.id === profile.id ? profile : expectation.assignee;
  return author === expectation.author && assignee === expectation.assignee ? expectation : { ...expectation, author, assignee };
}

/** A person's new name or picture, pushed by the live feed, on every cached feed card that shows them. */
export function applyProfileToFeeds(queryClient: QueryClient, profile: PublicProfile): void {
  for (const [key, data] of cachedFeeds(queryClient)) {
    if (!data?.pages.some((page) => page.items.some((item) => withProfile(item, profile) !== item))) continue;
    queryClient.setQueryData<FeedData>(key, {
      ...data,
      pages: data.pages.map((page) => ({ ...page, items: page.items.map((item) => withProfile(item, profile)) })),
    });
  }
}
