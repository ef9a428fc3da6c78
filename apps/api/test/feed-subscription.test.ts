import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueries, openDatabase } from '@expectations/db';
import { findOrganizationByClerkId, mirrorOrganization } from '@expectations/db/testing';
import { clerkUserEvent } from '../testing/clerk-fixtures';
import { signDelivery } from '../testing/webhook-signing';
import { feedClient, isType, openFeed } from './support/feed-client';
import { activeTeamClaims, errorCodeOf, startTrpcApi, type TrpcApi } from './support/trpc-http';

// feed.changes over real HTTP, with tRPC's own client and a real EventSource: behind the Clerk
// session token, scoped to the session, fed by expectation writes and by Clerk's webhook, and
// resumable across an API restart.

let t: TrpcApi;
beforeAll(async () => {
  t = await startTrpcApi();
});
afterAll(async () => {
  await t.stop();
});

describe('without a valid session token', () => {
  it('answers 401 and opens no stream', async () => {
    const ada = await t.member();
    const expired = t.token({ sub: ada.clerkId }, { now: Math.floor(Date.now() / 1000) - 3600 });
    for (const [label, headers, query] of [
      ['no token', {}, ''],
      ['an expired token', { authorization: `Bearer ${expired}` }, ''],
      ['a forged token in connectionParams', {}, `?connectionParams=${encodeURIComponent(JSON.stringify({ token: `${ada.token.slice(0, -4)}AAAA` }))}`],
    ] as const) {
      const response = await fetch(`${t.api.url}/trpc/feed.changes${query}`, { headers: { accept: 'text/event-stream', ...headers } });
      const body = await response.text();
      expect([response.status, response.headers.get('content-type'), errorCodeOf(JSON.parse(body))], label).toEqual([401, 'application/json', 'UNAUTHORIZED']);
    }
  });
});

describe('an open feed', () => {
  it('shows a teammate’s new expectation and a Clerk rename (webhook → mirror → feed), and nothing of another team', async () => {
    const ada = await t.member({ firstName: 'Ada' });
    const bob = await t.member({ firstName: 'Bob' });
    const globex = await mirrorOrganization(t.api.db, { name: 'Globex' });
    const cy = await t.member({ firstName: 'Cy' }, { team: globex.clerkId });
    const feed = openFeed(feedClient(t.api.url, () => ada.token));
    try {
      await feed.until(isType('ready'));
      await feedClient(t.api.url, () => cy.token).expectations.create.mutate({ title: 'Globex only' });
      await feedClient(t.api.url, () => bob.token).expectations.create.mutate({ title: 'Bob’s plan' });
      const created = await feed.until(isType('expectation.created'));
      expect(created.data).toMatchObject({ expectation: { title: 'Bob’s plan', author: { id: bob.id, displayName: 'Bob User' } } });

      // Bob renames himself in Clerk: the signed user.updated lands on the webhook route.
      const delivery = signDelivery(t.signingSecret, clerkUserEvent('user.updated', { id: bob.clerkId, updatedAt: Date.now() + 1000, firstName: 'Robert', lastName: 'Tables' }));
      expect((await fetch(`${t.api.url}/api/webhooks/clerk`, { method: 'POST', headers: delivery.headers, body: delivery.body })).status).toBe(200);
      const renamed = await feed.until(isType('profile.updated'));
      expect(renamed.data).toEqual({ type: 'profile.updated', profile: { id: bob.id, displayName: 'Robert Tables', imageUrl: expect.any(String) as unknown, deleted: false } });
      expect(feed.messages.map((message) => message.data.type)).toEqual(['ready', 'expectation.created', 'profile.updated']);
      // The same delivery again is a duplicate: it changes nothing, so no feed hears of it.
      expect((await fetch(`${t.api.url}/api/webhooks/clerk`, { method: 'POST', headers: delivery.headers, body: delivery.body })).status).toBe(200);
      await feedClient(t.api.url, () => bob.token).expectations.create.mutate({ title: 'After the duplicate' });
      await feed.until(isType('expectation.created', 'After the duplicate'));
      expect(feed.messages.map((message) => message.data.type)).toEqual(['ready', 'expectation.created', 'profile.updated', 'expectation.created']);
    } finally {
      feed.close();
    }
  });

  it('takes the token from connectionParams, as a browser’s EventSource sends it', async () => {
    const ada = await t.member({ firstName: 'Ada' });
    const feed = openFeed(feedClient(t.api.url, () => ada.token, 'connectionParams'));
    try {
      await feed.until(isType('ready'));
      await feedClient(t.api.url, () => ada.token).expectations.create.mutate({ title: 'Through connectionParams' });
      await feed.until(isType('expectation.created', 'Through connectionParams'));
    } finally {
      feed.close();
    }
  });

  it('lives no longer than its session token: at its expiry the stream ends, and the client resumes with a fresh token, missing nothing', async () => {
    const ada = await t.member({ firstName: 'Ada' });
    // Every (re)connection gets a fresh token that expires 2 s later.
    const shortLived = () => t.token({ sub: ada.clerkId, ...activeTeamClaims(t.team.clerkId) }, { ttlSeconds: 2 });
    const feed = openFeed(feedClient(t.api.url, shortLived));
    try {
      const ready = await feed.until(isType('ready'));
      // The first token's stream ends; the EventSource reconnects with a new token and its last id.
      const readyAgain = await feed.until((message) => message.data.type === 'ready' && message !== ready);
      expect(readyAgain.id).toBe(ready.id);
      await feedClient(t.api.url, () => ada.token).expectations.create.mutate({ title: 'On the second token' });
      await feed.until(isType('expectation.created', 'On the second token'));
      expect(feed.messages.filter((message) => message.data.type === 'expectation.created')).toHaveLength(1);
    } finally {
      feed.close();
    }
  });

  it('resumes with lastEventId across an API restart: what was written while it was down arrives once, in order', async () => {
    const ada = await t.member({ firstName: 'Ada' });
    // A fresh token on every (re)connection, as Clerk's getToken() gives.
    const feed = openFeed(feedClient(t.api.url, () => t.token({ sub: ada.clerkId, ...activeTeamClaims(t.team.clerkId) })));
    try {
      const ready = await feed.until(isType('ready'));
      await t.restart(async () => {
        // Written while no API runs, straight into the database: only a replay can deliver it.
        const db = await openDatabase(t.databaseUrl);
        try {
          const team = await findOrganizationByClerkId(db, t.team.clerkId);
          await createQueries(db).createExpectation({ authorId: ada.id, organizationId: team!.id, assigneeId: null, title: 'While down', details: '', dueOn: null });
        } finally {
          await db.close();
        }
      });
      const replayed = await feed.until(isType('expectation.created', 'While down'));
      expect(Number(replayed.id)).toBeGreaterThan(Number(ready.id));
      const readyAgain = await feed.until(isType('ready'), feed.messages.indexOf(replayed));
      expect(readyAgain.id).toBe(replayed.id);

      await feedClient(t.api.url, () => ada.token).expectations.create.mutate({ title: 'After the restart' });
      await feed.until(isType('expectation.created', 'After the restart'));
      // Every change once, in order. (A reconnection that reached the stopping API before it
      // stopped listening says `ready` once more, with nothing missed.)
      const messages = feed.messages.map((message) => (message.data.type === 'expectation.created' ? message.data.expectation.title : message.data.type));
      expect(messages.filter((message) => message !== 'ready')).toEqual(['While down', 'After the restart']);
      expect(messages.at(0)).toBe('ready');
      expect(messages.at(-2)).toBe('ready');
    } finally {
      feed.close();
    }
  });
});
