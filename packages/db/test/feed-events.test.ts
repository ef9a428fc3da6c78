import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedQueries, createQueries, pruneFeedEvents, watchFeedEvents, type FeedQueries, type Queries } from '@expectations/db';
import { applyClerkEvent } from '@expectations/db/mirror-writer';
import {
  clerkMembership,
  clerkUser,
  createTempDatabase,
  deleteMirroredOrganization,
  mirrorMembership,
  mirrorOrganization,
  mirrorUser,
  sqlRows,
  type TempDatabase,
} from '@expectations/db/testing';

// The live feed's outbox: every expectation write and every applied profile or membership change
// appends its row in its own transaction, and nothing else does.

let db: TempDatabase;
let q: Queries;
let feed: FeedQueries;
beforeEach(async () => {
  db = await createTempDatabase();
  q = createQueries(db);
  feed = createFeedQueries(db);
});
afterEach(() => db.destroy());

type Person = { id: number; clerkId: string };

async function create(author: Person, title: string, organizationId: number | null, assignee: Person | null = null) {
  const result = await q.createExpectation({ authorId: author.id, organizationId, assigneeId: assignee?.id ?? null, title, details: '', dueOn: null });
  if (!result.created) throw new Error(`could not create ${title}: ${result.reason}`);
  return result.id;
}

const rows = () => sqlRows<{ kind: string; organization_id: number | null; expectation_id: number | null; user_id: number | null }>(
  db,
  'SELECT kind, organization_id, expectation_id, user_id FROM feed_events ORDER BY id',
);

const userUpdated = (clerkId: string, firstName: string, updatedAt: number, svixId = `msg_${randomUUID()}`) => {
  const data = clerkUser({ clerkId, firstName, updatedAt });
  return applyClerkEvent(db, { svixId, receivedAt: Date.now(), event: { type: 'user.updated', timestamp: updatedAt, data } });
};

describe('expectation writes', () => {
  it('append created and updated events with their team, and nothing for a status left unchanged or refused', async () => {
    const ada = await mirrorUser(db, { firstName: 'Ada' });
    const team = await mirrorOrganization(db);
    await mirrorMembership(db, { clerkOrganizationId: team.clerkId, clerkUserId: ada.clerkId });
    const before = (await rows()).length;
    const id = await create(ada, 'Ship it', team.id);
    expect(await q.setExpectationStatus({ id, actorId: ada.id, organizationId: team.id, actorIsTeamAdmin: false, status: 'met' })).toBe('updated');
    expect(await q.setExpectationStatus({ id, actorId: ada.id, organizationId: team.id, actorIsTeamAdmin: false, status: 'met' })).toBe('unchanged');
    expect(await q.setExpectationStatus({ id, actorId: ada.id, organizationId: null, actorIsTeamAdmin: false, status: 'missed' })).toBe('not_found');
    expect((await rows()).slice(before)).toEqual([
      { kind: 'expectation.created', organization_id: team.id, expectation_id: id, user_id: null },
      { kind: 'expectation.updated', organization_id: team.id, expectation_id: id, user_id: null },
    ]);
  });

  it('append nothing when the create is refused', async () => {
    const ada = await mirrorUser(db);
    const before = (await rows()).length;
    await expect(q.createExpectation({ authorId: ada.id, organizationId: null, assigneeId: 2_000_000, title: 'x', details: '', dueOn: null })).resolves.toEqual({
      created: false,
      reason: 'assignee_unavailable',
    });
    expect(await rows()).toHaveLength(before);
  });
});

describe('the mirror writer', () => {
  it('appends a profile change of a mirrored user, and nothing for its creation, a duplicate or a stale event', async () => {
    const t0 = Date.now();
    const ada = await mirrorUser(db, { firstName: 'Ada', updatedAt: t0 });
    expect(await rows()).toEqual([]);
    const svixId = `msg_${randomUUID()}`;
    expect((await userUpdated(ada.clerkId, 'Ada L.', t0 + 10, svixId)).outcome).toBe('applied');
    expect((await userUpdated(ada.clerkId, 'Ada L.', t0 + 10, svixId)).outcome).toBe('duplicate');
    expect((await userUpdated(ada.clerkId, 'Old Ada', t0 + 5)).outcome).toBe('stale');
    expect(await rows()).toEqual([{ kind: 'profile.updated', organization_id: null, expectation_id: null, user_id: ada.id }]);
  });

  it('appends an ended membership and a deleted team, by their mirror ids, once', async () => {
    const ada = await mirrorUser(db);
    const team = await mirrorOrganization(db);
    const membership = await mirrorMembership(db, { clerkOrganizationId: team.clerkId, clerkUserId: ada.clerkId });
    const ended = clerkMembership({ clerkId: membership.id, clerkOrganizationId: team.clerkId, clerkUserId: ada.clerkId, createdAt: membership.created_at, updatedAt: membership.updated_at + 1 });
    const deletion = { svixId: `msg_${randomUUID()}`, receivedAt: Date.now(), event: { type: 'organizationMembership.deleted' as const, timestamp: Date.now(), data: ended } };
    await applyClerkEvent(db, deletion);
    await applyClerkEvent(db, { ...deletion, svixId: `msg_${randomUUID()}` }); // already ended: stale
    await deleteMirroredOrganization(db, team.clerkId);
    await deleteMirroredOrganization(db, team.clerkId);
    expect(await rows()).toEqual([
      { kind: 'membership.ended', organization_id: team.id, expectation_id: null, user_id: ada.id },
      { kind: 'membership.ended', organization_id: team.id, expectation_id: null, user_id: null },
    ]);
  });
});

describe('reading the feed', () => {
  /** Two teams and personal expectations: Ada and Bob in Acme, Cy in Globex, Dee outside both. */
  async function world() {
    const [ada, bob, cy, dee] = await Promise.all(['Ada', 'Bob', 'Cy', 'Dee'].map((firstName) => mirrorUser(db, { firstName, updatedAt: 1000 })));
    const acme = await mirrorOrganization(db, { name: 'Acme' });
    const globex = await mirrorOrganization(db, { name: 'Globex' });
    await mirrorMembership(db, { clerkOrganizationId: acme.clerkId, clerkUserId: ada!.clerkId });
    await mirrorMembership(db, { clerkOrganizationId: acme.clerkId, clerkUserId: bob!.clerkId });
    await mirrorMembership(db, { clerkOrganizationId: globex.clerkId, clerkUserId: cy!.clerkId });
    return { ada: ada!, bob: bob!, cy: cy!, dee: dee!, acme, globex };
  }

  it('replays a scope’s own expectations and the profiles of the people in it, nothing of another team', async () => {
    const { ada, bob, cy, dee, acme, globex } = await world();
    await create(ada, 'acme', acme.id, bob);
    await create(cy, 'globex', globex.id);
    await create(dee, 'dee personal for ada', null, ada);
    await create(cy, 'cy personal', null);
    for (const person of [ada, bob, cy, dee]) await userUpdated(person.clerkId, `${person.clerkId.slice(-4)} renamed`, 2000);
    const { newestId } = await feed.feedBounds();

    const acmeFeed = await feed.replayFeedEvents({ organizationId: acme.id }, 0, newestId!, 100);
    expect(acmeFeed.map((event) => ('expectation' in event ? event.expectation.title : 'profile' in event ? event.profile.id : event.kind))).toEqual(['acme', ada.id, bob.id]);

    const deePersonal = await feed.replayFeedEvents({ personalUserId: dee.id }, 0, newestId!, 100);
    expect(deePersonal.map((event) => ('expectation' in event ? event.expectation.title : 'profile' in event ? event.profile.id : event.kind))).toEqual(['dee personal for ada', ada.id, dee.id]);

    const globexFeed = await feed.replayFeedEvents({ organizationId: globex.id }, 0, newestId!, 100);
    expect(globexFeed.map((event) => ('expectation' in event ? event.expectation.title : 'profile' in event ? event.profile.id : event.kind))).toEqual(['globex', cy.id]);

    expect(await feed.profileAudience(ada.id)).toEqual({ organizationIds: [acme.id], personalUserIds: expect.arrayContaining([ada.id, dee.id]) as unknown as number[] });
    expect((await feed.profileAudience(ada.id)).personalUserIds).toHaveLength(2);
  });

  it('reads every scope’s events in id order with the current state of what they name, from an id on, a page at a time', async () => {
    const { ada, acme } = await world();
    const id = await create(ada, 'first', acme.id);
    await q.setExpectationStatus({ id, actorId: ada.id, organizationId: acme.id, actorIsTeamAdmin: false, status: 'met' });
    const all = await feed.readFeedEvents(0, 100);
    expect(all.map((event) => event.kind)).toEqual(['expectation.created', 'expectation.updated']);
    expect(all[0]).toMatchObject({ kind: 'expectation.created', organizationId: acme.id, expectation: { id, title: 'first', status: 'met', author: { id: ada.id } } });
    expect(await feed.readFeedEvents(all[0]!.id, 1)).toEqual([all[1]]);
  });

  it('prunes old rows but never the newest, so a resume from before the oldest can be told apart', async () => {
    const { ada, acme } = await world();
    for (const title of ['a', 'b', 'c']) await create(ada, title, acme.id);
    const before = await feed.feedBounds();
    expect(await pruneFeedEvents(db, { createdBefore: Date.now() + 60_000, batchSize: 1 })).toBe(2);
    expect(await feed.feedBounds()).toEqual({ oldestId: before.newestId, newestId: before.newestId });
  });

  it('wakes a watcher after a commit that appended, from the queries and from the mirror writer', async () => {
    const { ada, acme } = await world();
    let wakes = 0;
    const watch = await watchFeedEvents(db, () => (wakes += 1));
    try {
      const settled = wakes; // PostgreSQL wakes once when it starts listening
      await create(ada, 'wake', acme.id);
      await userUpdated(ada.clerkId, 'Awake', 3000);
      await mirrorUser(db); // a new user: nothing appended, nobody woken by it
      expect(wakes - settled).toBeGreaterThanOrEqual(2);
    } finally {
      await watch.close();
    }
  });
});
