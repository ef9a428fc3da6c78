import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedQueries, pruneFeedEvents, watchFeedEvents, type FeedWatch } from '@expectations/db';
import { mirrorMembership, mirrorOrganization, updateMirroredUser } from '@expectations/db/testing';
import { FEED_REPLAY_LIMIT, FeedHub, TEAM_MEMBERSHIP_ENDED_MESSAGE, type FeedEvent } from '@expectations/router';
import { routerHarness, trpcErrorOf, type Member, type RouterHarness } from './support/harness';

// feed.changes: what the caller's feed shows, pushed as it commits, for the session's scope only;
// resumable from any event it sent; never holding more than a bounded number of events for a reader.

let h: RouterHarness;
let hub: FeedHub;
let watch: FeedWatch;
let globex: { id: number; clerkId: string };
const open: Array<AsyncIterator<unknown>> = [];

async function startHub(options: { memoryEvents?: number } = {}) {
  await watch?.close();
  hub = new FeedHub({ queries: createFeedQueries(h.db), log: h.log, ...options });
  await hub.start();
  watch = await watchFeedEvents(h.db, () => void hub.wake());
}

beforeEach(async () => {
  h = await routerHarness();
  globex = await mirrorOrganization(h.db, { name: 'Globex' });
  await startHub();
});
afterEach(async () => {
  for (const iterator of open.splice(0)) await iterator.return?.();
  await watch.close();
  await h.destroy();
});

type Tracked = { id: string; data: FeedEvent };

/** Opens feed.changes as `member` (their team active, or `team`), with a resume position if given. */
async function subscribe(member: Member, options: { team?: string | null; lastEventId?: string } = {}) {
  const team = options.team === undefined ? h.team.clerkId : options.team;
  const caller = h.callerFor(member.clerkId, { feed: hub }, team);
  const iterable = (await caller.feed.changes(options.lastEventId === undefined ? {} : { lastEventId: options.lastEventId })) as AsyncIterable<unknown>;
  const iterator = iterable[Symbol.asyncIterator]();
  open.push(iterator);
  return {
    /** The next message, as tracked(id, event) produces it: `[id, data, symbol]`. */
    async next(): Promise<Tracked> {
      const result = await iterator.next();
      if (result.done) throw new Error('the feed ended');
      const [id, data] = result.value as [string, FeedEvent];
      return { id, data };
    },
    close: () => iterator.return?.(),
  };
}

const describeEvent = ({ data }: Tracked) =>
  data.type === 'expectation.created' || data.type === 'expectation.updated'
    ? `${data.type} ${data.expectation.title}`
    : data.type === 'profile.updated'
      ? `profile ${data.profile.displayName}`
      : data.type === 'resync'
        ? `resync ${data.reason}`
        : data.type;

/** A rename in Clerk, as its user.updated webhook applies it. */
async function rename(member: Member, firstName: string) {
  await updateMirroredUser(h.db, { clerkId: member.clerkId, firstName, lastName: null, updatedAt: Date.now() + 1000 });
}

describe('scope', () => {
  it('pushes the active team’s changes and its people’s profiles, never another team’s', async () => {
    const ada = await h.member({ firstName: 'Ada' });
    const bob = await h.member({ firstName: 'Bob' });
    const cy = await h.member({ firstName: 'Cy' }, { team: globex.clerkId });
    const feed = await subscribe(ada);
    expect(describeEvent(await feed.next())).toBe('ready');

    await cy.caller.expectations.create({ title: 'Globex secret' });
    await rename(cy, 'Cyrus');
    const bobs = await bob.caller.expectations.create({ title: 'Bob’s plan' });
    await bob.caller.expectations.setStatus({ id: bobs.id, status: 'met' });
    await rename(bob, 'Robert');

    // In order, with nothing of Globex's in between.
    const seen = [await feed.next(), await feed.next(), await feed.next()];
    expect(seen.map(describeEvent)).toEqual(['expectation.created Bob’s plan', 'expectation.updated Bob’s plan', 'profile Robert']);
    expect(Number(seen[0]!.id)).toBeLessThan(Number(seen[1]!.id));
    expect(seen[1]!.data).toMatchObject({ expectation: { status: 'met', author: { id: bob.id } } });
  });

  it('pushes a personal feed only the caller’s own personal expectations and the people in them', async () => {
    const ada = await h.member({ firstName: 'Ada' });
    const bob = await h.member({ firstName: 'Bob' });
    const adaAlone = h.callerFor(ada.clerkId, {}, null);
    const bobAlone = h.callerFor(bob.clerkId, {}, null);
    const feed = await subscribe(ada, { team: null });
    expect(describeEvent(await feed.next())).toBe('ready');

    await bobAlone.expectations.create({ title: 'Bob’s own' });
    await ada.caller.expectations.create({ title: 'Acme’s' });
    await rename(bob, 'Robert'); // shares no personal expectation with Ada yet
    // Who sees a profile change is decided when the hub reads it: here, before Bob appears in Ada's feed.
    await hub.wake();
    await bobAlone.expectations.create({ title: 'For Ada', assigneeId: ada.id });
    await rename(bob, 'Bobby');
    await adaAlone.expectations.create({ title: 'Ada’s own' });

    const seen = [await feed.next(), await feed.next(), await feed.next()];
    expect(seen.map(describeEvent)).toEqual(['expectation.created For Ada', 'profile Bobby', 'expectation.created Ada’s own']);
  });

  it('refuses a caller with no session, and ends the stream when their membership ends', async () => {
    expect((await trpcErrorOf(h.callerFor(null, { feed: hub }).feed.changes({}))).code).toBe('UNAUTHORIZED');
    const ada = await h.member({ firstName: 'Ada' });
    const feed = await subscribe(ada);
    expect(describeEvent(await feed.next())).toBe('ready');
    const again = await mirrorMembership(h.db, { clerkOrganizationId: h.team.clerkId, clerkUserId: ada.clerkId });
    await mirrorMembership(
      h.db,
      { clerkOrganizationId: h.team.clerkId, clerkUserId: ada.clerkId, clerkId: again.id, createdAt: again.created_at, updatedAt: again.updated_at + 1 },
      'organizationMembership.deleted',
    );
    const ended = await trpcErrorOf(feed.next());
    expect([ended.code, ended.message]).toEqual(['FORBIDDEN', TEAM_MEMBERSHIP_ENDED_MESSAGE]);
  });
});

describe('resuming', () => {
  it('replays what was missed after lastEventId, then says ready, across a restart of the hub', async () => {
    const ada = await h.member({ firstName: 'Ada' });
    const bob = await h.member({ firstName: 'Bob' });
    const first = await subscribe(ada);
    const ready = await first.next();
    await first.close();

    await bob.caller.expectations.create({ title: 'While away 1' });
    const cy = await h.member({ firstName: 'Cy' }, { team: globex.clerkId });
    await cy.caller.expectations.create({ title: 'not ours' });
    await bob.caller.expectations.create({ title: 'While away 2' });
    await startHub(); // as after an API restart: the new hub starts at the newest row

    const resumed = await subscribe(ada, { lastEventId: ready.id });
    expect([await resumed.next(), await resumed.next(), await resumed.next()].map(describeEvent)).toEqual([
      'expectation.created While away 1',
      'expectation.created While away 2',
      'ready',
    ]);
    await bob.caller.expectations.create({ title: 'Live again' });
    expect(describeEvent(await resumed.next())).toBe('expectation.created Live again');
  });

  it('tells a client resuming from before the retained history, or from an id never issued, to refetch', async () => {
    const ada = await h.member({ firstName: 'Ada' });
    await ada.caller.expectations.create({ title: 'one' });
    const feed = await subscribe(ada);
    const ready = await feed.next();
    await feed.close();
    await ada.caller.expectations.create({ title: 'two' });
    await ada.caller.expectations.create({ title: 'three' });
    expect(await pruneFeedEvents(h.db, { createdBefore: Date.now() + 60_000 })).toBeGreaterThan(0);

    const stale = await subscribe(ada, { lastEventId: ready.id });
    const resync = await stale.next();
    expect(describeEvent(resync)).toBe('resync history_expired');
    expect(describeEvent(await stale.next())).toBe('ready');
    const future = await subscribe(ada, { lastEventId: '999999999' });
    expect(describeEvent(await future.next())).toBe('resync history_expired');
    expect((await trpcErrorOf(h.callerFor(ada.clerkId, { feed: hub }).feed.changes({ lastEventId: 'abc' }))).code).toBe('BAD_REQUEST');
  });
});

describe('a slow reader', () => {
  it('holds a position, not a queue: past the hub’s bounded buffer it replays its scope from the database, in order', async () => {
    await startHub({ memoryEvents: 4 });
    const ada = await h.member({ firstName: 'Ada' });
    const feed = await subscribe(ada);
    expect(describeEvent(await feed.next())).toBe('ready');
    // Ada reads nothing while 12 changes land.
    for (let index = 1; index <= 12; index += 1) await h.queries.createExpectation({ authorId: ada.id, organizationId: h.team.id, assigneeId: null, title: `change ${index}`, details: '', dueOn: null });
    await hub.wake();
    expect(hub.buffered).toBe(4);
    const seen = [];
    for (let index = 0; index < 12; index += 1) seen.push(describeEvent(await feed.next()));
    expect(seen).toEqual(Array.from({ length: 12 }, (_, index) => `expectation.created change ${index + 1}`));
  });

  it('is told to refetch when more changes than one replay carries went by', async () => {
    await startHub({ memoryEvents: 4 });
    const ada = await h.member({ firstName: 'Ada' });
    const feed = await subscribe(ada);
    expect(describeEvent(await feed.next())).toBe('ready');
    for (let index = 0; index <= FEED_REPLAY_LIMIT; index += 1) {
      await h.queries.createExpectation({ authorId: ada.id, organizationId: h.team.id, assigneeId: null, title: `flood ${index}`, details: '', dueOn: null });
    }
    await hub.wake();
    const resync = await feed.next();
    expect(describeEvent(resync)).toBe('resync too_far_behind');
    expect(Number(resync.id)).toBe(hub.position);
    await ada.caller.expectations.create({ title: 'after the flood' });
    expect(describeEvent(await feed.next())).toBe('expectation.created after the flood');
  });
});
