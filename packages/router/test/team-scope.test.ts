import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteMirroredOrganization, deleteMirroredUser, mirrorMembership, mirrorOrganization, recordStatements } from '@expectations/db/testing';
import { TEAM_MEMBERSHIP_ENDED_MESSAGE, TEAM_NOT_READY_MESSAGE } from '@expectations/router';
import { routerHarness, trpcErrorOf, type Member, type RouterHarness } from './support/harness';

// Every procedure answers in the session's active team only (or among personal expectations
// when none is active), and only while the mirror holds the caller's membership as live.

let h: RouterHarness;
let globex: { id: number; clerkId: string };
beforeEach(async () => {
  h = await routerHarness();
  globex = await mirrorOrganization(h.db, { name: 'Globex' });
});
afterEach(() => h.destroy());

/** Removes `member` from the harness's team, as organizationMembership.deleted would. */
async function removeFromAcme(member: Member) {
  const again = await mirrorMembership(h.db, { clerkOrganizationId: h.team.clerkId, clerkUserId: member.clerkId });
  await mirrorMembership(
    h.db,
    { clerkOrganizationId: h.team.clerkId, clerkUserId: member.clerkId, clerkId: again.id, createdAt: again.created_at, updatedAt: again.updated_at + 1 },
    'organizationMembership.deleted',
  );
}

describe('a team member', () => {
  it('lists and opens only the active team’s expectations; another team’s id is NOT_FOUND', async () => {
    const ada = await h.member({ firstName: 'Ada' });
    const cy = await h.member({ firstName: 'Cy' }, { team: globex.clerkId });
    const acmes = await ada.caller.expectations.create({ title: 'Acme’s' });
    const globexs = await cy.caller.expectations.create({ title: 'Globex’s' });

    expect((await ada.caller.expectations.list({})).items.map((item) => item.title)).toEqual(['Acme’s']);
    expect((await cy.caller.expectations.list({})).items.map((item) => item.title)).toEqual(['Globex’s']);
    const refused = await trpcErrorOf(cy.caller.expectations.byId({ id: acmes.id }));
    expect(refused.code).toBe('NOT_FOUND');
    expect(refused.message).toBe(`No expectation with id ${acmes.id}.`);
    expect((await trpcErrorOf(ada.caller.expectations.setStatus({ id: globexs.id, status: 'withdrawn' }))).code).toBe('NOT_FOUND');
    expect((await cy.caller.expectations.byId({ id: globexs.id })).title).toBe('Globex’s');
  });

  it('may assign only a live member of the active team, with BAD_REQUEST on assigneeId otherwise', async () => {
    const ada = await h.member();
    const bob = await h.member();
    const cy = await h.member({}, { team: globex.clerkId });
    const error = await trpcErrorOf(ada.caller.expectations.create({ title: 'x', assigneeId: cy.id }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe(`User ${cy.id} is not a member of this team: assign the expectation to someone listed by users.list`);
    await removeFromAcme(bob);
    expect((await trpcErrorOf(ada.caller.expectations.create({ title: 'x', assigneeId: bob.id }))).code).toBe('BAD_REQUEST');
    expect((await ada.caller.expectations.list({})).items).toEqual([]);
  });

  it('sees only the active team’s members in users.list', async () => {
    const ada = await h.member({ firstName: 'Ada' });
    const bob = await h.member({ firstName: 'Bob' });
    await h.member({ firstName: 'Cy' }, { team: globex.clerkId });
    expect((await ada.caller.users.list({})).items.map((user) => user.id)).toEqual([ada.id, bob.id]);
  });

  it('may withdraw a teammate’s expectation as an admin, and only withdraw it', async () => {
    const admin = await h.member({}, { role: 'org:admin' });
    const bob = await h.member();
    const carol = await h.member();
    const { id } = await bob.caller.expectations.create({ title: 'Bob’s' });
    expect((await trpcErrorOf(carol.caller.expectations.setStatus({ id, status: 'withdrawn' }))).code).toBe('FORBIDDEN');
    expect((await trpcErrorOf(admin.caller.expectations.setStatus({ id, status: 'met' }))).code).toBe('FORBIDDEN');
    expect(await admin.caller.expectations.setStatus({ id, status: 'withdrawn' })).toMatchObject({ id, status: 'withdrawn' });
  });
});

describe('a session whose team membership is not live in the mirror', () => {
  it('is PRECONDITION_FAILED until the membership’s webhook lands, then reads the team', async () => {
    const ada = await h.member();
    await ada.caller.expectations.create({ title: 'Acme’s' });
    const newcomer = await h.member({}, { team: null });
    const early = h.callerFor(newcomer.clerkId);
    const calls = [() => early.expectations.list({}), () => early.expectations.byId({ id: 1 }), () => early.users.list({}), () => early.expectations.create({ title: 'x' })];
    for (const call of calls) {
      const error = await trpcErrorOf(call());
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toBe(TEAM_NOT_READY_MESSAGE);
    }
    expect(h.log.error).toHaveBeenCalledWith({ clerkUserId: newcomer.clerkId, clerkOrganizationId: h.team.clerkId }, expect.stringMatching(/organizationMembership webhook/));
    await mirrorMembership(h.db, { clerkOrganizationId: h.team.clerkId, clerkUserId: newcomer.clerkId });
    expect((await early.expectations.list({})).items.map((item) => item.title)).toEqual(['Acme’s']);
  });

  it('is FORBIDDEN once removed from the team, even with a token that still names it', async () => {
    const ada = await h.member();
    const bob = await h.member();
    const { id } = await ada.caller.expectations.create({ title: 'Acme’s' });
    await removeFromAcme(bob);
    const calls = [() => bob.caller.expectations.list({}), () => bob.caller.expectations.byId({ id }), () => bob.caller.users.list({}), () => bob.caller.expectations.create({ title: 'x' })];
    for (const call of calls) {
      const error = await trpcErrorOf(call());
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toBe(TEAM_MEMBERSHIP_ENDED_MESSAGE);
    }
  });

  it('is FORBIDDEN for everyone once the team is deleted; its rows stay, shown to no one', async () => {
    const ada = await h.member({}, { role: 'org:admin' });
    const { id } = await ada.caller.expectations.create({ title: 'Acme’s' });
    await deleteMirroredOrganization(h.db, h.team.clerkId);
    expect((await trpcErrorOf(ada.caller.expectations.list({}))).code).toBe('FORBIDDEN');
    expect((await trpcErrorOf(ada.caller.expectations.byId({ id }))).code).toBe('FORBIDDEN');
    expect((await h.queries.findExpectationById(id, 'all'))?.title).toBe('Acme’s');
  });

  it('is FORBIDDEN for a deleted user', async () => {
    const ada = await h.member();
    await deleteMirroredUser(h.db, ada.clerkId);
    expect((await trpcErrorOf(ada.caller.expectations.list({}))).code).toBe('FORBIDDEN');
  });
});

describe('a session with no active team', () => {
  it('reads and writes personal expectations: its own and those assigned to it, never a team’s', async () => {
    const ada = await h.member();
    const solo = await h.member({ firstName: 'Solo' }, { team: null });
    const other = await h.member({ firstName: 'Other' }, { team: null });
    const team = await ada.caller.expectations.create({ title: 'Acme’s' });
    const mine = await solo.caller.expectations.create({ title: 'Mine', assigneeId: other.id });
    expect(mine.assignee?.id).toBe(other.id);
    await other.caller.expectations.create({ title: 'Other’s own' });

    expect((await solo.caller.expectations.list({})).items.map((item) => item.title)).toEqual(['Mine']);
    expect((await other.caller.expectations.list({})).items.map((item) => item.title)).toEqual(['Other’s own', 'Mine']);
    expect((await trpcErrorOf(solo.caller.expectations.byId({ id: team.id }))).code).toBe('NOT_FOUND');
    expect((await ada.caller.expectations.list({})).items.map((item) => item.title)).toEqual(['Acme’s']);
    expect((await trpcErrorOf(ada.caller.expectations.byId({ id: mine.id }))).code).toBe('NOT_FOUND');
    // The assignee sees it but may not change it; the author may.
    expect((await trpcErrorOf(other.caller.expectations.setStatus({ id: mine.id, status: 'met' }))).code).toBe('FORBIDDEN');
    expect(await solo.caller.expectations.setStatus({ id: mine.id, status: 'met' })).toMatchObject({ status: 'met' });
  });
});

describe('the cost of the scope', () => {
  it('adds no statement to a page that has rows: the membership check rides in the page’s statement', async () => {
    const ada = await h.member();
    const recorder = recordStatements(h.db);
    const { id } = await ada.caller.expectations.create({ title: 'one' });
    recorder.executed.length = 0;
    await ada.caller.expectations.list({});
    expect(recorder.executed).toHaveLength(1);
    recorder.executed.length = 0;
    await ada.caller.expectations.byId({ id });
    expect(recorder.executed).toHaveLength(1);
    recorder.stop();
  });
});
