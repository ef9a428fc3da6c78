import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createQueries } from '@expectations/db';
import {
  createTempDatabaseUrl,
  databaseSnapshot,
  findMembership,
  findOrganizationByClerkId,
  findUserByClerkId,
  sqlRows,
  type TempDatabaseUrl,
} from '@expectations/db/testing';
import { createLogger } from '../src/logger';
import { startApi, type RunningApi } from '../src/server';
import { WEBHOOK_BODY_LIMIT_BYTES } from '../src/webhooks/clerk-webhook-route';
import { clerkFixture, clerkMembershipEvent, clerkOrganizationEvent, clerkUserEvent } from '../testing/clerk-fixtures';
import { testConfig } from '../testing/test-config';
import { newSigningSecret, signDelivery } from '../testing/webhook-signing';

const secret = newSigningSecret();
let database: TempDatabaseUrl;
let api: RunningApi;
let userSeq = 0;

beforeAll(async () => {
  database = await createTempDatabaseUrl();
  const config = testConfig({ DATABASE_URL: database.url, CLERK_WEBHOOK_SIGNING_SECRET: secret });
  api = await startApi(config, createLogger('silent'));
});

afterAll(async () => {
  await api.close();
  await database.destroy();
});

function freshUserId(): string {
  userSeq += 1;
  return `user_test${String(userSeq).padStart(6, '0')}${Date.now()}`;
}

async function deliver(body: string | object, options: Parameters<typeof signDelivery>[2] = {}) {
  const signed = signDelivery(secret, body, options);
  const response = await fetch(`${api.url}/api/webhooks/clerk`, { method: 'POST', headers: signed.headers, body: signed.body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown>, svixId: signed.headers['svix-id']! };
}

const rowOf = (clerkId: string) => findUserByClerkId(api.db, clerkId);
const eventRow = async (svixId: string) => (await sqlRows(api.db, 'SELECT * FROM webhook_events WHERE svix_id = ?', [svixId]))[0];

describe('user.created and user.updated', () => {
  it('mirrors a created user with the primary email, and records the delivery', async () => {
    const event = clerkFixture('user.created');
    const result = await deliver(event);
    expect(result).toMatchObject({ status: 200, json: { ok: true, outcome: 'applied' } });

    expect(await rowOf(event.data.id)).toMatchObject({
      clerkId: 'user_29w83sxmDNGwOuEthce5gg56FcC',
      email: 'ada@example.org',
      firstName: 'Ada',
      lastName: 'Lovelace',
      username: null,
      imageUrl: 'https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9',
      clerkUpdatedAt: 1767225600000,
      deletedAt: null,
    });
    expect(await eventRow(result.svixId)).toMatchObject({
      type: 'user.created',
      clerk_user_id: event.data.id,
      outcome: 'applied',
      duplicate_deliveries: 0,
    });
  });

  it('applies an update: the new primary email, names and username', async () => {
    const result = await deliver(clerkFixture('user.updated'));
    expect(result.json.outcome).toBe('applied');
    expect(await rowOf('user_29w83sxmDNGwOuEthce5gg56FcC')).toMatchObject({
      email: 'ada@work.example',
      lastName: 'King',
      username: 'ada',
      clerkUpdatedAt: 1767229200000,
    });
  });

  it('creates the row when an update arrives for an unknown user', async () => {
    const id = freshUserId();
    const result = await deliver(clerkUserEvent('user.updated', { id, updatedAt: 2_000, firstName: 'Late' }));
    expect(result.json.outcome).toBe('applied');
    expect(await rowOf(id)).toMatchObject({ firstName: 'Late', clerkUpdatedAt: 2_000 });
  });

  it('keeps the newer state when updated arrives before created', async () => {
    const id = freshUserId();
    const updated = await deliver(clerkUserEvent('user.updated', { id, updatedAt: 2_000, lastName: 'Newer' }));
    const created = await deliver(clerkUserEvent('user.created', { id, updatedAt: 1_000, lastName: 'Older' }));
    expect([updated.json.outcome, created.json.outcome]).toEqual(['applied', 'stale']);
    expect(await rowOf(id)).toMatchObject({ lastName: 'Newer', clerkUpdatedAt: 2_000 });
    expect((await eventRow(created.svixId))?.outcome).toBe('stale');
  });

  it('keeps the newer state when created arrives before updated', async () => {
    const id = freshUserId();
    await deliver(clerkUserEvent('user.created', { id, updatedAt: 1_000, lastName: 'Older' }));
    const updated = await deliver(clerkUserEvent('user.updated', { id, updatedAt: 2_000, lastName: 'Newer' }));
    expect(updated.json.outcome).toBe('applied');
    expect(await rowOf(id)).toMatchObject({ lastName: 'Newer', clerkUpdatedAt: 2_000 });
  });

  it('answers a repeated svix-id with 2xx, changes nothing, and counts the duplicate', async () => {
    const id = freshUserId();
    const svixId = `msg_dup_${id}`;
    const first = await deliver(clerkUserEvent('user.created', { id, updatedAt: 1_000, firstName: 'First' }), { svixId });
    const before = await rowOf(id);
    // The same message id with a different (also validly signed) body must still not apply.
    const again = await deliver(clerkUserEvent('user.updated', { id, updatedAt: 9_000, firstName: 'Other' }), { svixId });
    expect(first.json.outcome).toBe('applied');
    expect(again).toMatchObject({ status: 200, json: { outcome: 'duplicate' } });
    expect(await rowOf(id)).toEqual(before);
    expect(await eventRow(svixId)).toMatchObject({ outcome: 'applied', duplicate_deliveries: 1 });
  });
});

describe('secret rotation', () => {
  it('accepts a message signed with both the old and the new secret, as Svix sends during rotation', async () => {
    const id = freshUserId();
    const body = clerkUserEvent('user.created', { id, updatedAt: 1_000 });
    const svixId = `msg_rotation_${id}`;
    const at = new Date();
    const withNew = signDelivery(secret, body, { svixId, at });
    const withOld = signDelivery(newSigningSecret(), body, { svixId, at });
    const headers = { ...withNew.headers, 'svix-signature': `${withOld.headers['svix-signature']} ${withNew.headers['svix-signature']}` };
    const response = await fetch(`${api.url}/api/webhooks/clerk`, { method: 'POST', headers, body: withNew.body });
    expect(response.status).toBe(200);
    expect(await rowOf(id)).toBeDefined();
  });
});

describe('user.deleted', () => {
  it('keeps the row, erases personal fields and marks it deleted', async () => {
    const id = freshUserId();
    await deliver(clerkUserEvent('user.created', { id, updatedAt: 1_000 }));
    const deleted = clerkFixture('user.deleted');
    deleted.data.id = id;
    const result = await deliver(deleted);
    expect(result.json.outcome).toBe('applied');
    expect(await rowOf(id)).toMatchObject({
      email: null,
      firstName: null,
      lastName: null,
      username: null,
      imageUrl: null,
      deletedAt: deleted.timestamp,
    });
  });

  it('is final: a late update does not bring the user back', async () => {
    const id = freshUserId();
    await deliver(clerkUserEvent('user.created', { id, updatedAt: 1_000 }));
    const deleted = clerkFixture('user.deleted');
    deleted.data.id = id;
    await deliver(deleted);
    const late = await deliver(clerkUserEvent('user.updated', { id, updatedAt: deleted.timestamp + 60_000, firstName: 'Zombie' }));
    expect(late.json.outcome).toBe('stale');
    expect(await rowOf(id)).toMatchObject({ firstName: null, deletedAt: deleted.timestamp });
  });

  it('leaves a tombstone when the deletion arrives before the creation', async () => {
    const id = freshUserId();
    const deleted = clerkFixture('user.deleted');
    deleted.data.id = id;
    expect((await deliver(deleted)).json.outcome).toBe('applied');
    const created = await deliver(clerkUserEvent('user.created', { id, updatedAt: 1_000, firstName: 'Ghost' }));
    expect(created.json.outcome).toBe('stale');
    expect(await rowOf(id)).toMatchObject({ firstName: null, email: null, deletedAt: deleted.timestamp });
  });
});

describe('organizations and their memberships', () => {
  let seq = 0;
  const fresh = (prefix: 'org' | 'orgmem') => `${prefix}_test${String(++seq).padStart(4, '0')}${Date.now()}`;

  it('mirrors the fixtures’ whole story: created, renamed, member added, role changed, removed, deleted', async () => {
    const created = clerkFixture('organization.created');
    const orgId = created.data.id as string;
    const userId = 'user_29w83sxmDNGwOuEthce5gg56FcC';
    const first = await deliver(created);
    expect(first).toMatchObject({ status: 200, json: { ok: true, outcome: 'applied' } });
    expect(await eventRow(first.svixId)).toMatchObject({ type: 'organization.created', clerk_organization_id: orgId, clerk_user_id: null, outcome: 'applied' });
    expect((await deliver(clerkFixture('organization.updated'))).json.outcome).toBe('applied');
    expect(await findOrganizationByClerkId(api.db, orgId)).toMatchObject({ name: 'Analytical Engines Ltd', slug: 'analytical-engines-ltd', clerkUpdatedAt: 1767243600000 });

    const joined = await deliver(clerkFixture('organizationMembership.created'));
    expect(await eventRow(joined.svixId)).toMatchObject({ clerk_organization_id: orgId, clerk_user_id: userId, outcome: 'applied' });
    expect((await deliver(clerkFixture('organizationMembership.updated'))).json.outcome).toBe('applied');
    expect(await findMembership(api.db, orgId, userId)).toMatchObject({ role: 'org:member', deletedAt: null });
    expect((await deliver(clerkFixture('organizationMembership.deleted'))).json.outcome).toBe('applied');
    expect(await findMembership(api.db, orgId, userId)).toMatchObject({ deletedAt: 1767250800000 });
    expect((await deliver(clerkFixture('organization.deleted'))).json.outcome).toBe('applied');
    expect(await findOrganizationByClerkId(api.db, orgId)).toMatchObject({ name: null, slug: null, deletedAt: 1767254400000 });
    // Every one of them, delivered again late with new svix ids, changes nothing.
    for (const fixture of ['organization.created', 'organization.updated', 'organizationMembership.created', 'organizationMembership.updated'] as const) {
      expect((await deliver(clerkFixture(fixture))).json.outcome, fixture).toBe('stale');
    }
  });

  it('takes a membership that arrives before its organization and its user; the member counts once all three are there', async () => {
    const queries = createQueries(api.db);
    const orgId = fresh('org');
    const userId = freshUserId();
    const membership = { id: fresh('orgmem'), organizationId: orgId, userId, updatedAt: 1_000 };
    expect((await deliver(clerkMembershipEvent('organizationMembership.created', membership))).json.outcome).toBe('applied');
    expect(await queries.findViewer(userId, orgId)).toBeUndefined();
    await deliver(clerkOrganizationEvent('organization.created', { id: orgId, updatedAt: 1_000 }));
    await deliver(clerkUserEvent('user.created', { id: userId, updatedAt: 1_000 }));
    expect((await queries.findViewer(userId, orgId))?.team).toMatchObject({ state: 'member' });
    expect((await deliver(clerkMembershipEvent('organizationMembership.deleted', { ...membership, at: 2_000 }))).json.outcome).toBe('applied');
    expect((await queries.findViewer(userId, orgId))?.team).toEqual({ state: 'ended' });
    expect((await deliver(clerkMembershipEvent('organizationMembership.created', membership))).json.outcome).toBe('stale');
  });

  it('answers a repeated svix-id with 2xx and changes nothing', async () => {
    const orgId = fresh('org');
    const svixId = `msg_dup_${orgId}`;
    await deliver(clerkOrganizationEvent('organization.created', { id: orgId, updatedAt: 1_000, name: 'First' }), { svixId });
    const again = await deliver(clerkOrganizationEvent('organization.updated', { id: orgId, updatedAt: 2_000, name: 'Other' }), { svixId });
    expect(again).toMatchObject({ status: 200, json: { outcome: 'duplicate' } });
    expect(await findOrganizationByClerkId(api.db, orgId)).toMatchObject({ name: 'First' });
  });
});

describe('other event types', () => {
  it('acknowledges and records them as ignored, changing no user', async () => {
    const users = await sqlRows(api.db, 'SELECT * FROM users ORDER BY id');
    const result = await deliver({
      object: 'event',
      type: 'session.created',
      timestamp: Date.now(),
      data: { id: 'sess_123', user_id: 'user_29w83sxmDNGwOuEthce5gg56FcC', object: 'session' },
    });
    expect(result).toMatchObject({ status: 200, json: { outcome: 'ignored' } });
    expect(await eventRow(result.svixId)).toMatchObject({ type: 'session.created', outcome: 'ignored', clerk_user_id: 'user_29w83sxmDNGwOuEthce5gg56FcC' });
    expect(await sqlRows(api.db, 'SELECT * FROM users ORDER BY id')).toEqual(users);
  });

  it('acknowledges organization events the mirror does not keep as ignored', async () => {
    const before = await sqlRows(api.db, 'SELECT * FROM organizations ORDER BY id');
    const result = await deliver({
      object: 'event',
      type: 'organizationInvitation.created',
      timestamp: Date.now(),
      data: { id: 'orginv_123', object: 'organization_invitation', organization_id: 'org_2aFqS8tWyKnL3pXbV7mRcZ1dHe9', email_address: 'bob@example.org', role: 'org:member' },
    });
    expect(result).toMatchObject({ status: 200, json: { outcome: 'ignored' } });
    expect(await eventRow(result.svixId)).toMatchObject({ type: 'organizationInvitation.created', outcome: 'ignored' });
    expect(await sqlRows(api.db, 'SELECT * FROM organizations ORDER BY id')).toEqual(before);
  });
});

describe('bad input changes nothing and gets a clear 4xx', () => {
  let snapshot: string;
  afterEach(async () => {
    expect(await databaseSnapshot(api.db)).toBe(snapshot);
  });

  const post = (headers: Record<string, string>, body: string) =>
    fetch(`${api.url}/api/webhooks/clerk`, { method: 'POST', headers, body });

  async function expectRefused(response: Response, status: number, error: string) {
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error, message: expect.any(String) });
  }

  const freshEvent = () => clerkUserEvent('user.created', { id: freshUserId(), updatedAt: 5_000 });

  it.each([
    ['no svix headers at all', (s: ReturnType<typeof signDelivery>) => ({ 'content-type': 'application/json', ...omit(s.headers, ['svix-id', 'svix-timestamp', 'svix-signature']) })],
    ['no svix-signature', (s: ReturnType<typeof signDelivery>) => omit(s.headers, ['svix-signature'])],
    ['no svix-id', (s: ReturnType<typeof signDelivery>) => omit(s.headers, ['svix-id'])],
  ])('refuses a delivery with %s', async (_name, headersOf) => {
    snapshot = await databaseSnapshot(api.db);
    const signed = signDelivery(secret, freshEvent());
    await expectRefused(await post(headersOf(signed), signed.body), 400, 'missing_svix_headers');
  });

  it('refuses a signature made with another secret', async () => {
    snapshot = await databaseSnapshot(api.db);
    const signed = signDelivery(newSigningSecret(), freshEvent());
    await expectRefused(await post(signed.headers, signed.body), 400, 'invalid_signature');
  });

  it('refuses a garbage signature', async () => {
    snapshot = await databaseSnapshot(api.db);
    const signed = signDelivery(secret, freshEvent());
    await expectRefused(await post({ ...signed.headers, 'svix-signature': 'v1,AAAA' }, signed.body), 400, 'invalid_signature');
  });

  it.each([
    ['six minutes old', -6 * 60_000],
    ['six minutes in the future', 6 * 60_000],
  ])('refuses a timestamp %s', async (_name, offset) => {
    snapshot = await databaseSnapshot(api.db);
    const signed = signDelivery(secret, freshEvent(), { at: new Date(Date.now() + offset) });
    await expectRefused(await post(signed.headers, signed.body), 400, 'invalid_signature');
  });

  it('refuses a body altered after signing', async () => {
    snapshot = await databaseSnapshot(api.db);
    const signed = signDelivery(secret, freshEvent());
    await expectRefused(await post(signed.headers, signed.body.replace('Ada', 'Eve')), 400, 'invalid_signature');
  });

  it('refuses a validly signed body that is not JSON', async () => {
    snapshot = await databaseSnapshot(api.db);
    const signed = signDelivery(secret, '{"type": "user.created", ');
    await expectRefused(await post(signed.headers, signed.body), 400, 'invalid_json');
  });

  it.each([
    ['a user id that is a number', (e: Record<string, any>) => void (e.data.id = 12345)],
    ['no updated_at', (e: Record<string, any>) => void delete e.data.updated_at],
    ['email_addresses that is not a list', (e: Record<string, any>) => void (e.data.email_addresses = 'ada@example.org')],
    ['a first name of 10,000 characters', (e: Record<string, any>) => void (e.data.first_name = 'x'.repeat(10_000))],
    ['no data', (e: Record<string, any>) => void delete e.data],
    ['no type', (e: Record<string, any>) => void delete e.type],
    // PostgreSQL's text cannot hold NUL: refused as input on both engines, never a 500.
    ['a NUL character in the last name', (e: Record<string, any>) => void (e.data.last_name = 'Love\u0000lace')],
    ['an event type with a NUL character', (e: Record<string, any>) => void (e.type = 'session\u0000created')],
  ])('refuses a validly signed user.created with %s', async (_name, mutate) => {
    snapshot = await databaseSnapshot(api.db);
    const event = freshEvent();
    mutate(event);
    const signed = signDelivery(secret, event);
    await expectRefused(await post(signed.headers, signed.body), 400, 'invalid_payload');
  });

  const orgEvent = () => clerkOrganizationEvent('organization.created', { id: `org_bad${freshUserId().slice(5)}`, updatedAt: 5_000 });
  const membershipEvent = (type: 'organizationMembership.created' | 'organizationMembership.deleted' = 'organizationMembership.created') =>
    clerkMembershipEvent(type, { id: `orgmem_bad${freshUserId().slice(5)}`, organizationId: `org_bad${freshUserId().slice(5)}`, userId: freshUserId(), updatedAt: 5_000 });

  it.each([
    ['organization.created whose id is a user id', () => mutated(orgEvent(), (e) => void (e.data.id = 'user_29w83sxmDNGwOuEthce5gg56FcC'))],
    ['organization.created with no name', () => mutated(orgEvent(), (e) => void delete e.data.name)],
    ['organization.created with a name that is a number', () => mutated(orgEvent(), (e) => void (e.data.name = 42))],
    ['organization.created with a NUL character in the slug', () => mutated(orgEvent(), (e) => void (e.data.slug = 'acme\u0000inc'))],
    ['organization.updated with no updated_at', () => mutated(orgEvent(), (e) => void ((e.type = 'organization.updated'), delete e.data.updated_at))],
    ['organization.deleted with no id', () => mutated(clerkFixture('organization.deleted'), (e) => void delete e.data.id)],
    ['organization.deleted with no timestamp', () => mutated(clerkFixture('organization.deleted'), (e) => void delete e.timestamp)],
    ['organizationMembership.created with no organization', () => mutated(membershipEvent(), (e) => void delete e.data.organization)],
    ['organizationMembership.created whose member is not a user id', () => mutated(membershipEvent(), (e) => void (e.data.public_user_data.user_id = 'org_2aFqS8tWyKnL3pXbV7mRcZ1dHe9'))],
    ['organizationMembership.created with an empty role', () => mutated(membershipEvent(), (e) => void (e.data.role = ''))],
    ['organizationMembership.created with no created_at', () => mutated(membershipEvent(), (e) => void delete e.data.created_at)],
    ['organizationMembership.deleted with only an id, as an organization’s deletion is sent', () => mutated(membershipEvent('organizationMembership.deleted'), (e) => void (e.data = { id: e.data.id, object: 'organization_membership', deleted: true }))],
  ])('refuses a validly signed %s', async (_name, body) => {
    snapshot = await databaseSnapshot(api.db);
    const signed = signDelivery(secret, body());
    await expectRefused(await post(signed.headers, signed.body), 400, 'invalid_payload');
  });

  it('refuses a validly signed body that is a JSON array', async () => {
    snapshot = await databaseSnapshot(api.db);
    const signed = signDelivery(secret, '[1,2,3]');
    await expectRefused(await post(signed.headers, signed.body), 400, 'invalid_payload');
  });

  it('refuses a body over the size limit with 413', async () => {
    snapshot = await databaseSnapshot(api.db);
    const event = freshEvent();
    event.data.public_metadata = { padding: 'x'.repeat(WEBHOOK_BODY_LIMIT_BYTES) };
    const signed = signDelivery(secret, event);
    await expectRefused(await post(signed.headers, signed.body), 413, 'payload_too_large');
  });
});

describe('GET /healthz', () => {
  it('answers 200 while the database answers', async () => {
    const response = await fetch(`${api.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});

function omit(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}

function mutated(event: Record<string, any>, change: (event: Record<string, any>) => void): Record<string, any> {
  change(event);
  return event;
}
