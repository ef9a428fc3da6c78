import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Expectation, Page } from '@expectations/router';
import { TRPC_MAX_BATCH_SIZE, TRPC_MAX_BODY_BYTES } from '../src/trpc-handler';
import { dataOf, errorCodeOf, startTrpcApi, WEB_ORIGIN, type TrpcApi } from './support/trpc-http';

let t: TrpcApi;
let ada: Awaited<ReturnType<TrpcApi['member']>>;
let bob: Awaited<ReturnType<TrpcApi['member']>>;
beforeAll(async () => {
  t = await startTrpcApi();
  ada = await t.member({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test' });
  bob = await t.member({ firstName: 'Bob', lastName: 'Builder', email: 'bob@example.test' });
});
afterAll(async () => {
  await t.stop();
});

describe('plain JSON over HTTP', () => {
  it('POST creates with a JSON body; GET reads with ?input=<url-encoded JSON>; no transformer envelope', async () => {
    const created = await t.call('expectations.create', {
      method: 'POST',
      token: ada.token,
      input: { title: 'Ship the billing export', assigneeId: bob.id, dueOn: '2025-03-07' },
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    const expectation = dataOf<Expectation>(created.body);
    expect(expectation).toMatchObject({
      title: 'Ship the billing export',
      status: 'open',
      dueOn: '2025-03-07',
      author: { id: ada.id, displayName: 'Ada Lovelace', deleted: false },
      assignee: { id: bob.id, displayName: 'Bob Builder', deleted: false },
    });
    expect(new Date(expectation.createdAt).toISOString()).toBe(expectation.createdAt);

    const listed = await t.call('expectations.list', { token: bob.token, input: { assigneeId: bob.id, limit: 5 } });
    expect(listed.status).toBe(200);
    const page = dataOf<Page<Expectation>>(listed.body);
    expect(page).toEqual({ items: [expectation], nextCursor: null });
    expect(JSON.stringify(page)).not.toContain('@example.test');

    const byId = await t.call('expectations.byId', { token: bob.token, input: { id: expectation.id } });
    expect(dataOf(byId.body)).toEqual(expectation);

    const setStatus = await t.call('expectations.setStatus', { method: 'POST', token: ada.token, input: { id: expectation.id, status: 'met' } });
    expect(dataOf<Expectation>(setStatus.body).status).toBe('met');
  });

  it('a query without input uses the defaults', async () => {
    const response = await t.call('expectations.list', { token: ada.token });
    expect(response.status).toBe(200);
    expect(dataOf<Page<Expectation>>(response.body).items.length).toBeGreaterThan(0);
  });

  it('batches several queries in one GET, up to the batch limit', async () => {
    const url = new URL(`${t.api.url}/trpc/users.ensureExists,users.byId?batch=1`);
    url.searchParams.set('input', JSON.stringify({ 1: { id: bob.id } }));
    const response = await fetch(url, { headers: { authorization: `Bearer ${ada.token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Array<{ result: { data: unknown } }>;
    expect(body.map((entry) => entry.result.data)).toEqual([
      { id: ada.id },
      { id: bob.id, displayName: 'Bob Builder', imageUrl: 'https://img.example.test/avatar.png', deleted: false },
    ]);

    const tooMany = Array.from({ length: TRPC_MAX_BATCH_SIZE + 1 }, () => 'users.ensureExists').join(',');
    const refused = await fetch(`${t.api.url}/trpc/${tooMany}?batch=1`, { headers: { authorization: `Bearer ${ada.token}` } });
    expect(refused.status).toBe(400);
  });

  it('maps errors to tRPC’s HTTP statuses with a JSON body', async () => {
    const forbidden = await t.call('expectations.create', { method: 'POST', token: ada.token, input: { title: 'Ada’s own' } });
    const id = dataOf<Expectation>(forbidden.body).id;
    const byBob = await t.call('expectations.setStatus', { method: 'POST', token: bob.token, input: { id, status: 'missed' } });
    expect([byBob.status, errorCodeOf(byBob.body)]).toEqual([403, 'FORBIDDEN']);

    const missing = await t.call('expectations.byId', { token: ada.token, input: { id: 987654 } });
    expect([missing.status, errorCodeOf(missing.body)]).toEqual([404, 'NOT_FOUND']);

    const invalid = await t.call('expectations.create', { method: 'POST', token: ada.token, input: { title: '', dueOn: '2025-02-30' } });
    expect([invalid.status, errorCodeOf(invalid.body)]).toEqual([400, 'BAD_REQUEST']);
    const data = (invalid.body as { error: { data: { issues: Array<{ path: string[] }>; stack?: string } } }).error.data;
    expect(data.issues.map((issue) => issue.path.join('.'))).toEqual(['title', 'dueOn']);

    const unreadable = await fetch(`${t.api.url}/trpc/expectations.create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ada.token}`, 'content-type': 'application/json' },
      body: '{"title": ',
    });
    expect(unreadable.status).toBe(400);
  });

  it('queries answer only GET and mutations only POST', async () => {
    const mutationByGet = await t.call('expectations.create', { token: ada.token, input: { title: 'via GET' } });
    expect(mutationByGet.status).toBe(405);
    const queryByPost = await t.call('expectations.list', { method: 'POST', token: ada.token, input: {} });
    expect(queryByPost.status).toBe(405);
    const unknown = await t.call('expectations.drop', { token: ada.token });
    expect(unknown.status).toBe(404);
  });

  it('refuses a body over the limit with 413 and creates nothing', async () => {
    const before = dataOf<Page<Expectation>>((await t.call('expectations.list', { token: ada.token, input: { limit: 100 } })).body).items.length;
    const response = await t.call('expectations.create', {
      method: 'POST',
      token: ada.token,
      input: { title: 'huge', details: 'x'.repeat(TRPC_MAX_BODY_BYTES) },
    });
    expect(response.status).toBe(413);
    const after = dataOf<Page<Expectation>>((await t.call('expectations.list', { token: ada.token, input: { limit: 100 } })).body).items.length;
    expect(after).toBe(before);
  });

  it('sends no-store, the security headers, and no x-powered-by', async () => {
    const response = await t.call('users.ensureExists', { token: ada.token });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('leaves the other routes as they were', async () => {
    expect((await fetch(`${t.api.url}/healthz`)).status).toBe(200);
    const notFound = await fetch(`${t.api.url}/nothing-here`);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('CORS', () => {
  const preflight = (origin: string, requestHeaders = 'authorization, content-type') =>
    fetch(`${t.api.url}/trpc/expectations.create`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
    });

  it('answers a preflight from the SPA’s origin with 204, allowing Authorization, Content-Type and Last-Event-ID (the live feed resuming)', async () => {
    const response = await preflight(WEB_ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toBe('authorization, content-type, last-event-id');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('gives a foreign origin no CORS headers, for the preflight and the request itself', async () => {
    const response = await preflight('https://evil.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')).toBeNull();

    const actual = await t.call('users.ensureExists', { token: ada.token, headers: { origin: 'https://evil.example' } });
    expect(actual.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds the allow-origin header to the actual request from the SPA, including a 401', async () => {
    const ok = await t.call('users.ensureExists', { token: ada.token, headers: { origin: WEB_ORIGIN } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
    // The SPA must be able to read a 401 to know it should sign in again.
    const unauthorized = await t.call('users.ensureExists', { headers: { origin: WEB_ORIGIN } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
  });
});
