import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteMirroredOrganization, mirrorMembership, mirrorOrganization } from '@expectations/db/testing';
import type { Expectation, Page } from '@expectations/router';
import { activeTeamClaims, dataOf, errorCodeOf, startTrpcApi, type TrpcApi } from './support/trpc-http';

// The active team comes from the verified token; the mirror decides whether the caller may use it.

let t: TrpcApi;
beforeAll(async () => {
  t = await startTrpcApi();
});
afterAll(async () => {
  await t.stop();
});

const titlesOf = (body: unknown) => dataOf<Page<Expectation>>(body).items.map((item) => item.title);

describe('the active team, from the session token', () => {
  it('reads it from a v2 token’s o.id and a v1 token’s org_id alike', async () => {
    const ada = await t.member();
    await t.call('expectations.create', { method: 'POST', token: ada.token, input: { title: 'In Acme' } });
    const v1 = t.token({ sub: ada.clerkId, org_id: t.team.clerkId, org_role: 'org:member' });
    expect(titlesOf((await t.call('expectations.list', { token: v1 })).body)).toContain('In Acme');
    const none = t.token({ sub: ada.clerkId });
    expect(titlesOf((await t.call('expectations.list', { token: none })).body)).not.toContain('In Acme');
  });

  it('refuses a token whose team claim is not a Clerk organization id, with 401', async () => {
    const ada = await t.member();
    for (const o of [{ id: 'acme' }, { id: 42 }, { id: `org_${'x'.repeat(80)}` }, { id: "org_1' OR 1=1" }]) {
      const response = await t.call('expectations.list', { token: t.token({ sub: ada.clerkId, v: 2, o }) });
      expect([response.status, errorCodeOf(response.body)], JSON.stringify(o)).toEqual([401, 'UNAUTHORIZED']);
    }
    expect(t.logs.some((line) => line.reason === 'token-invalid-organization')).toBe(true);
  });

  it('refuses a validly signed token naming another team with 412 until the mirror has the membership: no forged o.id reads a team', async () => {
    const ada = await t.member();
    const globex = await mirrorOrganization(t.api.db, { name: 'Globex' });
    const cy = await t.member({}, { team: globex.clerkId });
    await t.call('expectations.create', { method: 'POST', token: cy.token, input: { title: 'Globex secret' } });
    const claimsGlobex = t.token({ sub: ada.clerkId, ...activeTeamClaims(globex.clerkId) });
    const response = await t.call('expectations.list', { token: claimsGlobex });
    expect([response.status, errorCodeOf(response.body)]).toEqual([412, 'PRECONDITION_FAILED']);
    expect(JSON.stringify(response.body)).not.toContain('Globex secret');
  });
});

describe('scope over HTTP', () => {
  it('answers another team’s expectation 404, exactly as one that does not exist', async () => {
    const globex = await mirrorOrganization(t.api.db, { name: 'Globex' });
    const cy = await t.member({}, { team: globex.clerkId });
    const ada = await t.member();
    const secret = dataOf<Expectation>((await t.call('expectations.create', { method: 'POST', token: cy.token, input: { title: 'Globex only' } })).body);
    const theirs = await t.call('expectations.byId', { token: ada.token, input: { id: secret.id } });
    const missing = await t.call('expectations.byId', { token: ada.token, input: { id: 2_000_000_000 } });
    expect([theirs.status, errorCodeOf(theirs.body)]).toEqual([404, 'NOT_FOUND']);
    expect([missing.status, errorCodeOf(missing.body)]).toEqual([404, 'NOT_FOUND']);
    expect((theirs.body as { error: { message: string } }).error.message).toBe(`No expectation with id ${secret.id}.`);
  });

  it('ends a removed member’s access as soon as the membership’s webhook lands, with their older token', async () => {
    const ada = await t.member();
    const bob = await t.member();
    await t.call('expectations.create', { method: 'POST', token: ada.token, input: { title: 'Before removal' } });
    expect((await t.call('expectations.list', { token: bob.token })).status).toBe(200);
    const again = await mirrorMembership(t.api.db, { clerkOrganizationId: t.team.clerkId, clerkUserId: bob.clerkId });
    await mirrorMembership(
      t.api.db,
      { clerkOrganizationId: t.team.clerkId, clerkUserId: bob.clerkId, clerkId: again.id, createdAt: again.created_at, updatedAt: again.updated_at + 1 },
      'organizationMembership.deleted',
    );
    const refused = await t.call('expectations.list', { token: bob.token });
    expect([refused.status, errorCodeOf(refused.body)]).toEqual([403, 'FORBIDDEN']);
    expect(JSON.stringify(refused.body)).not.toContain('Before removal');
  });

  it('shows a deleted team’s expectations to no one', async () => {
    const doomed = await mirrorOrganization(t.api.db, { name: 'Doomed' });
    const admin = await t.member({}, { team: doomed.clerkId, role: 'org:admin' });
    await t.call('expectations.create', { method: 'POST', token: admin.token, input: { title: 'Doomed’s' } });
    await deleteMirroredOrganization(t.api.db, doomed.clerkId);
    const refused = await t.call('expectations.list', { token: admin.token });
    expect([refused.status, errorCodeOf(refused.body)]).toEqual([403, 'FORBIDDEN']);
  });
});
