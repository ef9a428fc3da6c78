import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQueries, type ExpectationScope, type Queries } from '@expectations/db';
import {
  createTempDatabase,
  deleteMirroredOrganization,
  deleteMirroredUser,
  mirrorMembership,
  mirrorOrganization,
  mirrorUser,
  recordStatements,
  type TempDatabase,
} from '@expectations/db/testing';

let db: TempDatabase;
let q: Queries;
beforeEach(async () => {
  db = await createTempDatabase();
  q = createQueries(db);
});
afterEach(() => db.destroy());

type Person = { id: number; clerkId: string };
type Team = { id: number; clerkId: string };

async function join(team: Team, person: Person, role = 'org:member') {
  return mirrorMembership(db, { clerkOrganizationId: team.clerkId, clerkUserId: person.clerkId, role });
}

async function create(author: Person, title: string, team: Team | null, assignee: Person | null = null) {
  const result = await q.createExpectation({
    authorId: author.id,
    organizationId: team?.id ?? null,
    assigneeId: assignee?.id ?? null,
    title,
    details: '',
    dueOn: null,
  });
  if (!result.created) throw new Error(`could not create ${title}: ${result.reason}`);
  return result.id;
}

const inTeam = (person: Person, team: Team): ExpectationScope => ({ clerkUserId: person.clerkId, clerkOrganizationId: team.clerkId });
const personal = (person: Person): ExpectationScope => ({ clerkUserId: person.clerkId, clerkOrganizationId: null });
const titles = async (scope: ExpectationScope, filter: { authorId?: number; assigneeId?: number; status?: 'open' } = {}) =>
  (await q.listExpectations({ scope, limit: 50, ...filter })).items.map((item) => item.title);

/** Two teams and a person outside both, each with expectations of their own. */
async function twoTeams() {
  const ada = await mirrorUser(db, { firstName: 'Ada' });
  const bob = await mirrorUser(db, { firstName: 'Bob' });
  const cy = await mirrorUser(db, { firstName: 'Cy' });
  const acme = await mirrorOrganization(db, { name: 'Acme' });
  const globex = await mirrorOrganization(db, { name: 'Globex' });
  await join(acme, ada, 'org:admin');
  await join(acme, bob);
  await join(globex, cy, 'org:admin');
  await create(ada, 'acme: ada', acme);
  await create(bob, 'acme: bob for ada', acme, ada);
  await create(cy, 'globex: cy', globex);
  await create(ada, 'personal: ada', null);
  await create(ada, 'personal: ada for cy', null, cy);
  await create(bob, 'personal: bob', null);
  return { ada, bob, cy, acme, globex };
}

describe('listExpectations in a scope', () => {
  it('shows a member only their team’s expectations, newest first, with every filter', async () => {
    const { ada, bob, cy, acme, globex } = await twoTeams();
    expect(await titles(inTeam(ada, acme))).toEqual(['acme: bob for ada', 'acme: ada']);
    expect(await titles(inTeam(bob, acme))).toEqual(['acme: bob for ada', 'acme: ada']);
    expect(await titles(inTeam(cy, globex))).toEqual(['globex: cy']);
    expect(await titles(inTeam(ada, acme), { authorId: bob.id })).toEqual(['acme: bob for ada']);
    expect(await titles(inTeam(ada, acme), { assigneeId: ada.id })).toEqual(['acme: bob for ada']);
    expect(await titles(inTeam(ada, acme), { status: 'open', authorId: ada.id })).toEqual(['acme: ada']);
    // Another team's author, as a filter, finds nothing of theirs.
    expect(await titles(inTeam(ada, acme), { authorId: cy.id })).toEqual([]);
  });

  it('finds nothing for a team the caller is not a live member of', async () => {
    const { ada, cy, acme, globex } = await twoTeams();
    expect(await titles(inTeam(cy, acme))).toEqual([]);
    expect(await titles(inTeam(ada, globex))).toEqual([]);
    expect(await titles({ clerkUserId: ada.clerkId, clerkOrganizationId: 'org_2unknownAAAAAAAAAAAAAAAAAA' })).toEqual([]);
    expect(await titles({ clerkUserId: 'user_2unknownAAAAAAAAAAAAAAAA', clerkOrganizationId: acme.clerkId })).toEqual([]);
  });

  it('shows personal expectations only to their author and assignee, never a team’s', async () => {
    const { ada, bob, cy } = await twoTeams();
    expect(await titles(personal(ada))).toEqual(['personal: ada for cy', 'personal: ada']);
    expect(await titles(personal(cy))).toEqual(['personal: ada for cy']);
    expect(await titles(personal(bob))).toEqual(['personal: bob']);
  });

  it('ends access when the membership is removed, the team deleted or the caller deleted', async () => {
    const { ada, bob, cy, acme, globex } = await twoTeams();
    const removed = await join(acme, bob);
    await mirrorMembership(db, { clerkOrganizationId: acme.clerkId, clerkUserId: bob.clerkId, clerkId: removed.id, createdAt: removed.created_at, updatedAt: removed.updated_at + 1 }, 'organizationMembership.deleted');
    expect(await titles(inTeam(bob, acme))).toEqual([]);
    expect(await titles(inTeam(ada, acme))).toHaveLength(2);

    await deleteMirroredOrganization(db, acme.clerkId);
    expect(await titles(inTeam(ada, acme))).toEqual([]);

    await deleteMirroredUser(db, cy.clerkId);
    expect(await titles(inTeam(cy, globex))).toEqual([]);
    expect(await titles(personal(cy))).toEqual([]);
  });

  it('checks the scope inside the page’s own statement: one statement per page', async () => {
    const { ada, acme } = await twoTeams();
    for (const scope of [inTeam(ada, acme), personal(ada)]) {
      const recorder = recordStatements(db);
      await q.listExpectations({ scope, limit: 5 });
      recorder.stop();
      expect(recorder.executed).toHaveLength(1);
    }
  });
});

describe('findExpectationById in a scope', () => {
  it('finds an expectation only in its own scope', async () => {
    const { ada, bob, cy, acme, globex } = await twoTeams();
    const [acmeId] = (await q.listExpectations({ scope: inTeam(ada, acme), limit: 1 })).items.map((item) => item.id);
    expect((await q.findExpectationById(acmeId!, inTeam(bob, acme)))?.title).toBe('acme: bob for ada');
    expect(await q.findExpectationById(acmeId!, inTeam(cy, globex))).toBeUndefined();
    expect(await q.findExpectationById(acmeId!, inTeam(cy, acme))).toBeUndefined();
    expect(await q.findExpectationById(acmeId!, personal(ada))).toBeUndefined();
    const [personalId] = (await q.listExpectations({ scope: personal(cy), limit: 1 })).items.map((item) => item.id);
    expect((await q.findExpectationById(personalId!, personal(cy)))?.title).toBe('personal: ada for cy');
    expect(await q.findExpectationById(personalId!, personal(bob))).toBeUndefined();
    expect(await q.findExpectationById(personalId!, inTeam(ada, acme))).toBeUndefined();
  });
});

describe('createExpectation in a team', () => {
  it('refuses an assignee who is not a live member of the team, and writes nothing', async () => {
    const { ada, bob, cy, acme } = await twoTeams();
    const before = await titles('all');
    const base = { authorId: ada.id, organizationId: acme.id, title: 't', details: '', dueOn: null };
    expect(await q.createExpectation({ ...base, assigneeId: cy.id })).toEqual({ created: false, reason: 'assignee_not_member' });
    expect(await q.createExpectation({ ...base, assigneeId: 9999 })).toEqual({ created: false, reason: 'assignee_unavailable' });
    const bobs = await join(acme, bob);
    await mirrorMembership(db, { clerkOrganizationId: acme.clerkId, clerkUserId: bob.clerkId, clerkId: bobs.id, createdAt: bobs.created_at, updatedAt: bobs.updated_at + 1 }, 'organizationMembership.deleted');
    expect(await q.createExpectation({ ...base, assigneeId: bob.id })).toEqual({ created: false, reason: 'assignee_not_member' });
    expect(await titles('all')).toEqual(before);
    expect(await q.createExpectation({ ...base, assigneeId: ada.id })).toMatchObject({ created: true });
  });
});

describe('setExpectationStatus in a scope', () => {
  it('lets the author change it, a team admin withdraw it, and hides it from other scopes', async () => {
    const { ada, bob, cy, acme, globex } = await twoTeams();
    const bobs = await create(bob, 'bob’s', acme);
    const adas = await create(ada, 'ada’s', acme);
    const acmeMember = (person: Person, isAdmin: boolean) => ({ actorId: person.id, organizationId: acme.id, actorIsTeamAdmin: isAdmin });
    expect(await q.setExpectationStatus({ id: adas, ...acmeMember(bob, false), status: 'withdrawn' })).toBe('not_author');
    expect(await q.setExpectationStatus({ id: bobs, ...acmeMember(ada, true), status: 'met' })).toBe('not_author');
    expect(await q.setExpectationStatus({ id: bobs, ...acmeMember(ada, true), status: 'withdrawn' })).toBe('updated');
    expect(await q.setExpectationStatus({ id: adas, actorId: cy.id, organizationId: globex.id, actorIsTeamAdmin: true, status: 'withdrawn' })).toBe('not_found');
    expect(await q.setExpectationStatus({ id: adas, actorId: ada.id, organizationId: null, actorIsTeamAdmin: false, status: 'met' })).toBe('not_found');
    expect(await q.setExpectationStatus({ id: adas, ...acmeMember(ada, false), status: 'met' })).toBe('updated');
    expect((await q.findExpectationById(adas, 'all'))?.status).toBe('met');
  });

  it('hides a personal expectation from everyone but its author and assignee, and lets only the author change it', async () => {
    const { ada, bob, cy } = await twoTeams();
    const id = await create(ada, 'mine', null, cy);
    const personally = (person: Person) => ({ actorId: person.id, organizationId: null, actorIsTeamAdmin: false });
    expect(await q.setExpectationStatus({ id, ...personally(bob), status: 'met' })).toBe('not_found');
    expect(await q.setExpectationStatus({ id, ...personally(cy), status: 'met' })).toBe('not_author');
    expect(await q.setExpectationStatus({ id, ...personally(ada), status: 'met' })).toBe('updated');
  });
});

describe('findViewer', () => {
  it('answers the caller’s row alone when no team is active, and undefined when they are not mirrored', async () => {
    const ada = await mirrorUser(db);
    expect(await q.findViewer(ada.clerkId, null)).toEqual({ id: ada.id, deleted: false, team: null });
    expect(await q.findViewer('user_2notMirroredAAAAAAAAAAAA', null)).toBeUndefined();
    expect(await q.findViewer('user_2notMirroredAAAAAAAAAAAA', 'org_2anyAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
  });

  it('answers a live member with the team’s row id and whether they are its admin', async () => {
    const { ada, bob, acme } = await twoTeams();
    expect(await q.findViewer(ada.clerkId, acme.clerkId)).toEqual({ id: ada.id, deleted: false, team: { state: 'member', organizationId: acme.id, isAdmin: true } });
    expect(await q.findViewer(bob.clerkId, acme.clerkId)).toEqual({ id: bob.id, deleted: false, team: { state: 'member', organizationId: acme.id, isAdmin: false } });
  });

  it('says not_mirrored until both the team and the membership have arrived, in either order', async () => {
    const ada = await mirrorUser(db);
    const team = 'org_2abcLateAAAAAAAAAAAAAAAAAA';
    expect((await q.findViewer(ada.clerkId, team))?.team).toEqual({ state: 'not_mirrored' });
    await mirrorMembership(db, { clerkOrganizationId: team, clerkUserId: ada.clerkId });
    expect((await q.findViewer(ada.clerkId, team))?.team).toEqual({ state: 'not_mirrored' });
    const row = await mirrorOrganization(db, { clerkId: team });
    expect((await q.findViewer(ada.clerkId, team))?.team).toEqual({ state: 'member', organizationId: row.id, isAdmin: false });
  });

  it('says ended once the membership is removed or the team deleted, and member again when re-added', async () => {
    const ada = await mirrorUser(db);
    const team = await mirrorOrganization(db);
    const pair = { clerkOrganizationId: team.clerkId, clerkUserId: ada.clerkId };
    const first = await mirrorMembership(db, { ...pair, createdAt: 1_000, updatedAt: 1_000 });
    await mirrorMembership(db, { ...pair, clerkId: first.id, createdAt: 1_000, updatedAt: 1_000 }, 'organizationMembership.deleted');
    expect((await q.findViewer(ada.clerkId, team.clerkId))?.team).toEqual({ state: 'ended' });
    await mirrorMembership(db, { ...pair, createdAt: 2_000, updatedAt: 2_000 });
    expect((await q.findViewer(ada.clerkId, team.clerkId))?.team).toMatchObject({ state: 'member' });
    await deleteMirroredOrganization(db, team.clerkId);
    expect((await q.findViewer(ada.clerkId, team.clerkId))?.team).toEqual({ state: 'ended' });
  });

  it('reports a deleted caller as deleted', async () => {
    const { ada, acme } = await twoTeams();
    await deleteMirroredUser(db, ada.clerkId);
    expect(await q.findViewer(ada.clerkId, acme.clerkId)).toMatchObject({ id: ada.id, deleted: true });
  });
});

describe('listUsers in a team', () => {
  it('lists only the team’s live members', async () => {
    const { ada, bob, cy, acme, globex } = await twoTeams();
    const ids = async (clerkOrganizationId: string) => (await q.listUsers({ limit: 10, clerkOrganizationId })).items.map((user) => user.id);
    expect(await ids(acme.clerkId)).toEqual([ada.id, bob.id]);
    expect(await ids(globex.clerkId)).toEqual([cy.id]);
    expect((await q.listUsers({ limit: 10, clerkOrganizationId: acme.clerkId, search: 'bo' })).items.map((user) => user.id)).toEqual([bob.id]);
    const bobs = await join(acme, bob);
    await mirrorMembership(db, { clerkOrganizationId: acme.clerkId, clerkUserId: bob.clerkId, clerkId: bobs.id, createdAt: bobs.created_at, updatedAt: bobs.updated_at + 1 }, 'organizationMembership.deleted');
    expect(await ids(acme.clerkId)).toEqual([ada.id]);
  });
});
