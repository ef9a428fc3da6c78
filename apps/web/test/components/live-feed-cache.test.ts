import type { InfiniteData, QueryKey } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { expect, it } from 'vitest';
import { trpc } from '../../src/api/trpc';
import { createQueryClient } from '../../src/api/ApiProvider';
import type { Expectation, ExpectationPage, PublicProfile } from '../../src/api/types';
import { applyProfileToFeeds, applyToFeeds } from '../../src/expectations/cache';
import type { FeedInput } from '../../src/expectations/feedFilters';

/** How the live feed's changes land in the cached feeds: in place, in order, never a duplicate. */

const person = (id: number, displayName = `Person ${id}`): PublicProfile => ({ id, displayName, imageUrl: null, deleted: false });
const ALICE = person(1, 'Alice Archer');
const BOB = person(2, 'Bob Baker');

function expectation(id: number, changes: Partial<Expectation> = {}): Expectation {
  return {
    id,
    title: `Expectation ${id}`,
    details: '',
    status: 'open',
    dueOn: null,
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    author: ALICE,
    assignee: null,
    ...changes,
  };
}

type FeedData = InfiniteData<ExpectationPage, string | null>;
const feedKey = (input: FeedInput): QueryKey => getQueryKey(trpc.expectations.list, input, 'infinite');

/** A cached feed of pages of these ids (newest first); the last page has more after it unless `complete`. */
function cacheFeed(queryClient: ReturnType<typeof createQueryClient>, input: FeedInput, pages: number[][], complete = false) {
  queryClient.setQueryData<FeedData>(feedKey(input), {
    pages: pages.map((ids, index) => ({
      items: ids.map((id) => expectation(id)),
      nextCursor: index === pages.length - 1 && complete ? null : String(ids.at(-1)),
    })),
    pageParams: pages.map((_, index) => (index === 0 ? null : String(pages[index - 1]!.at(-1)))),
  });
}

const idsOf = (queryClient: ReturnType<typeof createQueryClient>, input: FeedInput) =>
  queryClient.getQueryData<FeedData>(feedKey(input))!.pages.map((page) => page.items.map((item) => item.id));

it('puts a new expectation on top of the feeds whose filters it matches, and nowhere else', () => {
  const queryClient = createQueryClient();
  cacheFeed(queryClient, { limit: 3 }, [[9, 8, 7]]);
  cacheFeed(queryClient, { limit: 3, status: 'met' }, [[5]], true);
  cacheFeed(queryClient, { limit: 3, assigneeId: BOB.id }, [[6]], true);

  applyToFeeds(queryClient, expectation(10, { assignee: BOB }));

  expect(idsOf(queryClient, { limit: 3 })).toEqual([[10, 9, 8, 7]]);
  expect(idsOf(queryClient, { limit: 3, status: 'met' })).toEqual([[5]]);
  expect(idsOf(queryClient, { limit: 3, assigneeId: BOB.id })).toEqual([[10, 6]]);
});

it('applied twice (the creator’s own answer and the pushed change), it shows once', () => {
  const queryClient = createQueryClient();
  cacheFeed(queryClient, { limit: 3 }, [[9, 8, 7]]);
  applyToFeeds(queryClient, expectation(10));
  applyToFeeds(queryClient, expectation(10));
  expect(idsOf(queryClient, { limit: 3 })).toEqual([[10, 9, 8, 7]]);
});

it('places one that starts matching a filter by its id, within the loaded pages only', () => {
  const queryClient = createQueryClient();
  cacheFeed(queryClient, { limit: 2, status: 'met' }, [[9, 6], [4, 2]]);
  applyToFeeds(queryClient, expectation(5, { status: 'met', updatedAt: '2026-12-02T10:00:00.000Z' }));
  // Older than everything loaded, with more pages to come: it arrives with them.
  applyToFeeds(queryClient, expectation(1, { status: 'met', updatedAt: '2026-12-02T10:00:00.000Z' }));
  expect(idsOf(queryClient, { limit: 2, status: 'met' })).toEqual([[9, 6], [5, 4, 2]]);
});

it('replaces a changed one in place, and takes it out of feeds whose filter it left', () => {
  const queryClient = createQueryClient();
  cacheFeed(queryClient, { limit: 3 }, [[9, 8, 7]]);
  cacheFeed(queryClient, { limit: 3, status: 'open' }, [[9, 8, 7]]);
  const met = expectation(8, { status: 'met', updatedAt: '2026-12-02T10:00:00.000Z' });

  applyToFeeds(queryClient, met);

  expect(idsOf(queryClient, { limit: 3 })).toEqual([[9, 8, 7]]);
  expect(queryClient.getQueryData<FeedData>(feedKey({ limit: 3 }))!.pages[0]!.items[1]!.status).toBe('met');
  expect(idsOf(queryClient, { limit: 3, status: 'open' })).toEqual([[9, 7]]);
});

it('keeps a newer version it already holds over an older pushed one', () => {
  const queryClient = createQueryClient();
  queryClient.setQueryData<FeedData>(feedKey({ limit: 3 }), {
    pages: [{ items: [expectation(8, { status: 'met', updatedAt: '2026-12-03T10:00:00.000Z' })], nextCursor: null }],
    pageParams: [null],
  });
  applyToFeeds(queryClient, expectation(8, { status: 'open', updatedAt: '2026-12-02T10:00:00.000Z' }));
  expect(queryClient.getQueryData<FeedData>(feedKey({ limit: 3 }))!.pages[0]!.items[0]!.status).toBe('met');
});

it('keeps optimistic entries (not saved yet) on top', () => {
  const queryClient = createQueryClient();
  queryClient.setQueryData<FeedData>(feedKey({ limit: 3 }), {
    pages: [{ items: [expectation(-1), expectation(9)], nextCursor: null }],
    pageParams: [null],
  });
  applyToFeeds(queryClient, expectation(10));
  expect(idsOf(queryClient, { limit: 3 })).toEqual([[-1, 10, 9]]);
});

it('shows a person’s new name on every card where they are author or assignee', () => {
  const queryClient = createQueryClient();
  queryClient.setQueryData<FeedData>(feedKey({ limit: 3 }), {
    pages: [{ items: [expectation(9, { author: BOB, assignee: ALICE }), expectation(8, { author: BOB }), expectation(7)], nextCursor: null }],
    pageParams: [null],
  });
  const before = queryClient.getQueryData<FeedData>(feedKey({ limit: 3 }))!.pages[0]!.items;

  applyProfileToFeeds(queryClient, { ...ALICE, displayName: 'Alicia Archer' });

  const [nine, eight, seven] = queryClient.getQueryData<FeedData>(feedKey({ limit: 3 }))!.pages[0]!.items;
  expect(nine!.assignee!.displayName).toBe('Alicia Archer');
  expect(seven!.author.displayName).toBe('Alicia Archer');
  // Cards without them keep their object: nothing re-renders for nothing.
  expect(eight).toBe(before[1]);
});
