import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_BODY_LIMIT_BYTES } from '../src/webhooks/clerk-webhook-route';
import { clerkFixture, clerkUserEvent, newSigningSecret, signDelivery } from '../testing';
import { startTrpcApi, type TrpcApi } from './support/trpc-http';

/** The value of one sample line (`name{labels} value`) of a Prometheus text exposition. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Deliveries by outcome, summed over event types, as `sum by (outcome)` would. */
function deliveriesByOutcome(text: string): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^expectations_webhook_deliveries_total\{type="[^"]+",outcome="([^"]+)"\} (\d+)$/.exec(line);
    if (match) totals[match[1]!] = (totals[match[1]!] ?? 0) + Number(match[2]);
  }
  return totals;
}

/** The deliveries of one event type that ended with one outcome. */
const deliveries = (text: string, type: string, outcome: string) => sample(text, `expectations_webhook_deliveries_total{type="${type}",outcome="${outcome}"}`);

const signingSecret = newSigningSecret();
let t: TrpcApi;

async function deliver(body: object | string, options: { svixId?: string; secret?: string } = {}) {
  const signed = signDelivery(options.secret ?? signingSecret, body, { svixId: options.svixId });
  const response = await fetch(`${t.api.url}/api/webhooks/clerk`, { method: 'POST', headers: signed.headers, body: signed.body });
  return response.status;
}

async function scrape(): Promise<{ status: number; contentType: string | null; text: string }> {
  const response = await fetch(`${t.api.url}/metrics`);
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

describe('GET /metrics', () => {
  beforeAll(async () => {
    t = await startTrpcApi({ CLERK_WEBHOOK_SIGNING_SECRET: signingSecret });
  });
  afterAll(() => t.stop());

  it('starts with every delivery outcome at zero and no last applied event', async () => {
    const { status, contentType, text } = await scrape();
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(deliveriesByOutcome(text)).toEqual({ applied: 0, stale: 0, duplicate: 0, ignored: 0, refused: 0 });
    for (const type of ['user.created', 'organization.deleted', 'organizationMembership.updated']) expect(deliveries(text, type, 'applied'), type).toBe(0);
    expect(sample(text, 'expectations_mirror_users{state="live"}')).toBe(0);
    expect(sample(text, 'expectations_webhook_last_applied_timestamp_seconds')).toBe(0);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('counts webhook deliveries by event type and outcome, times their transactions, and reads the mirror at scrape time', async () => {
    const before = Date.now();
    const created = clerkUserEvent('user.created', { id: 'user_2metricsAAAAAAAAAAAAAAAAAAAA', updatedAt: before });
    expect(await deliver(created, { svixId: 'msg_metrics_1' })).toBe(200); // applied
    expect(await deliver(created, { svixId: 'msg_metrics_1' })).toBe(200); // duplicate
    expect(await deliver(clerkUserEvent('user.updated', { id: 'user_2metricsAAAAAAAAAAAAAAAAAAAA', updatedAt: before - 1000 }))).toBe(200); // stale
    expect(await deliver(clerkUserEvent('user.created', { id: 'user_2metricsBBBBBBBBBBBBBBBBBBBB', updatedAt: before }))).toBe(200); // applied
    const deleted = clerkFixture('user.deleted');
    deleted.data.id = 'user_2metricsBBBBBBBBBBBBBBBBBBBB';
    expect(await deliver(deleted)).toBe(200); // applied
    expect(await deliver({ ...clerkFixture('user.created'), type: 'organizationInvitation.created' })).toBe(200); // ignored
    expect(await deliver(created, { secret: newSigningSecret() })).toBe(400); // refused
    expect(await deliver('{"not":"clerk"}')).toBe(400); // refused
    expect(await deliver(' '.repeat(WEBHOOK_BODY_LIMIT_BYTES + 1))).toBe(413); // refused by the body parser
    // The organizations mirror's events, counted by their own type.
    expect(await deliver(clerkFixture('organization.created'))).toBe(200); // applied
    expect(await deliver(clerkFixture('organizationMembership.created'))).toBe(200); // applied
    expect(await deliver(clerkFixture('organizationMembership.created'))).toBe(200); // stale: the same version again
    expect(await deliver({ ...clerkFixture('user.created'), type: 'organization.created' })).toBe(400); // refused: a user is no organization

    const { text } = await scrape();
    expect(deliveriesByOutcome(text)).toEqual({ applied: 5, stale: 2, duplicate: 1, ignored: 1, refused: 4 });
    expect(deliveries(text, 'user.created', 'applied')).toBe(2);
    expect(deliveries(text, 'user.created', 'duplicate')).toBe(1);
    expect(deliveries(text, 'user.updated', 'stale')).toBe(1);
    expect(deliveries(text, 'user.deleted', 'applied')).toBe(1);
    expect(deliveries(text, 'other', 'ignored')).toBe(1);
    expect(deliveries(text, 'organization.created', 'applied')).toBe(1);
    expect(deliveries(text, 'organization.created', 'refused')).toBe(1);
    expect(deliveries(text, 'organizationMembership.created', 'applied')).toBe(1);
    expect(deliveries(text, 'organizationMembership.created', 'stale')).toBe(1);
    // Refused before the type could be trusted: a bad signature, a body that is no event, one too large.
    expect(deliveries(text, 'unknown', 'refused')).toBe(3);
    // No event type reaches a label unless the mirror keeps it.
    expect(text).not.toContain('organizationInvitation');
    // Every delivery that reached the database was timed; refused ones never got there.
    expect(sample(text, 'expectations_webhook_apply_duration_seconds_count')).toBe(9);
    expect(sample(text, 'expectations_webhook_apply_duration_seconds_bucket{le="+Inf"}')).toBe(9);
    expect(sample(text, 'expectations_mirror_users{state="live"}')).toBe(1);
    expect(sample(text, 'expectations_mirror_users{state="deleted"}')).toBe(1);
    const lastApplied = sample(text, 'expectations_webhook_last_applied_timestamp_seconds')!;
    expect(lastApplied * 1000).toBeGreaterThanOrEqual(before - 1000);
    expect(lastApplied * 1000).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('counts tRPC requests by procedure and status with their duration, naming unknown procedures "unknown"', async () => {
    const ada = await t.member({ firstName: 'Ada' });
    expect((await t.call('expectations.list', { token: ada.token })).status).toBe(200);
    expect((await t.call('expectations.list', { token: ada.token })).status).toBe(200);
    expect((await t.call('expectations.list', {})).status).toBe(401);
    expect((await t.call('expectations.create', { method: 'POST', token: ada.token, input: { title: 'Ship it' } })).status).toBe(200);
    expect((await t.call('users.getCurrentUser', { token: ada.token })).status).toBe(404);
    expect((await t.call('users.ensureExists,expectations.list?batch=1', { token: ada.token })).status).toBe(200);
    expect((await t.call(`${'x'.repeat(40)}?batch=1`, { token: ada.token })).status).toBe(404);

    const { text } = await scrape();
    const count = (procedure: string, status: number) =>
      sample(text, `expectations_trpc_request_duration_seconds_count{procedure="${procedure}",status="${status}"}`);
    expect(count('expectations.list', 200)).toBe(3); // two alone, one in the batch
    expect(count('expectations.list', 401)).toBe(1);
    expect(count('expectations.create', 200)).toBe(1);
    expect(count('users.ensureExists', 200)).toBe(1);
    expect(count('unknown', 404)).toBe(2);
    expect(text).not.toContain('getCurrentUser');
    expect(text).not.toContain('xxxx');
    const sum = sample(text, 'expectations_trpc_request_duration_seconds_sum{procedure="expectations.list",status="200"}')!;
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(30);
  });
});

describe('METRICS=off', () => {
  it('removes GET /metrics', async () => {
    const off = await startTrpcApi({ METRICS: 'off' });
    try {
      expect((await fetch(`${off.api.url}/metrics`)).status).toBe(404);
      const ada = await off.member();
      expect((await off.call('expectations.list', { token: ada.token })).status).toBe(200);
    } finally {
      await off.stop();
    }
  });
});
