import { afterEach, beforeEach, expect, it } from 'vitest';
import { pruneWebhookEvents } from '@expectations/db';
import { applyClerkEvent, type ClerkEvent, type WebhookDelivery } from '../src/mirror-writer/index';
import { clerkUser, createTempDatabase, findUserByClerkId, sqlRows, type TempDatabase } from '../src/testing/index';

let db: TempDatabase;
beforeEach(async () => {
  db = await createTempDatabase();
});
afterEach(() => db.destroy());

const DAY = 24 * 60 * 60 * 1000;
const now = Date.UTC(2026, 11, 4);
const windowStart = now - 30 * DAY;

const deliver = (svixId: string, event: ClerkEvent, receivedAt: number) => applyClerkEvent(db, { svixId, event, receivedAt } satisfies WebhookDelivery);
const svixIds = async () => (await sqlRows<{ svix_id: string }>(db, 'SELECT svix_id FROM webhook_events ORDER BY svix_id')).map((row) => row.svix_id);

it('deletes the rows last delivered before the window, in batches, and keeps the rest', async () => {
  const ada = clerkUser({ clerkId: 'user_ada' });
  for (let n = 0; n < 7; n++) {
    await deliver(`msg_old_${n}`, { type: 'other', originalType: 'session.created', timestamp: 0, clerkUserId: ada.id }, windowStart - (n + 1) * DAY);
  }
  await deliver('msg_edge', { type: 'other', originalType: 'session.created', timestamp: 0, clerkUserId: ada.id }, windowStart);
  await deliver('msg_new', { type: 'other', originalType: 'session.created', timestamp: 0, clerkUserId: ada.id }, now - DAY);
  // An old first delivery that was delivered again inside the window is still redelivered: kept.
  await deliver('msg_redelivered', { type: 'other', originalType: 'session.created', timestamp: 0, clerkUserId: ada.id }, windowStart - 40 * DAY);
  await deliver('msg_redelivered', { type: 'other', originalType: 'session.created', timestamp: 0, clerkUserId: ada.id }, now - 2 * DAY);

  expect(await pruneWebhookEvents(db, { deliveredBefore: windowStart, batchSize: 3 })).toBe(7);
  expect(await svixIds()).toEqual(['msg_edge', 'msg_new', 'msg_redelivered']);
  expect(await pruneWebhookEvents(db, { deliveredBefore: windowStart, batchSize: 3 })).toBe(0);
});

it('still answers a duplicate inside the window as a duplicate that changes nothing but its count', async () => {
  const data = clerkUser({ clerkId: 'user_ada', firstName: 'Ada', updatedAt: now - 10 * DAY });
  const created: ClerkEvent = { type: 'user.created', timestamp: data.updated_at, data };
  expect((await deliver('msg_created', created, now - 10 * DAY)).outcome).toBe('applied');
  await pruneWebhookEvents(db, { deliveredBefore: windowStart });
  const userBefore = await findUserByClerkId(db, 'user_ada');

  expect((await deliver('msg_created', { ...created, data: { ...data, first_name: 'Changed' } }, now)).outcome).toBe('duplicate');
  expect(await findUserByClerkId(db, 'user_ada')).toEqual(userBefore);
  expect(await sqlRows(db, 'SELECT duplicate_deliveries, last_delivered_at FROM webhook_events')).toEqual([{ duplicate_deliveries: 1, last_delivered_at: now }]);
});

it('lets a pruned event delivered again change the mirror only when it is not stale', async () => {
  const old = windowStart - DAY;
  const v1 = clerkUser({ clerkId: 'user_ada', firstName: 'Ada', updatedAt: old });
  const v2 = { ...v1, first_name: 'Ada v2', updated_at: old + 1 };
  await deliver('msg_v1', { type: 'user.created', timestamp: old, data: v1 }, old);
  await deliver('msg_v2', { type: 'user.updated', timestamp: old + 1, data: v2 }, old + 1);
  await deliver('msg_gone', { type: 'user.deleted', timestamp: old + 2, data: { id: 'user_gone' } }, old + 2);
  expect(await pruneWebhookEvents(db, { deliveredBefore: windowStart })).toBe(3);

  // The mirror's clerk_updated_at still orders them: v1 is older than the row, v2 the row itself,
  // and the deletion's tombstone is final.
  expect((await deliver('msg_v1', { type: 'user.created', timestamp: old, data: v1 }, now)).outcome).toBe('stale');
  expect((await deliver('msg_v2', { type: 'user.updated', timestamp: old + 1, data: v2 }, now)).outcome).toBe('stale');
  expect((await deliver('msg_gone', { type: 'user.created', timestamp: old, data: clerkUser({ clerkId: 'user_gone', updatedAt: old }) }, now)).outcome).toBe('stale');
  expect(await findUserByClerkId(db, 'user_ada')).toMatchObject({ firstName: 'Ada v2', clerkUpdatedAt: old + 1 });
  expect((await findUserByClerkId(db, 'user_gone'))?.deletedAt).toBe(old + 2);
  expect(await sqlRows(db, 'SELECT svix_id, outcome FROM webhook_events ORDER BY svix_id')).toEqual([
    { svix_id: 'msg_gone', outcome: 'stale' },
    { svix_id: 'msg_v1', outcome: 'stale' },
    { svix_id: 'msg_v2', outcome: 'stale' },
  ]);

  // A newer version than the row's is applied, as it would be had nothing been pruned.
  const v3 = { ...v2, first_name: 'Ada v3', updated_at: now };
  expect((await deliver('msg_v3', { type: 'user.updated', timestamp: now, data: v3 }, now)).outcome).toBe('applied');
  expect((await findUserByClerkId(db, 'user_ada'))?.firstName).toBe('Ada v3');
});

it('refuses a batch size or a cutoff it cannot use, deleting nothing', async () => {
  await deliver('msg_old', { type: 'other', originalType: 'x', timestamp: 0, clerkUserId: null }, windowStart - DAY);
  await expect(pruneWebhookEvents(db, { deliveredBefore: windowStart, batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
  await expect(pruneWebhookEvents(db, { deliveredBefore: Number.NaN })).rejects.toThrow(/deliveredBefore must be epoch milliseconds/);
  expect(await svixIds()).toEqual(['msg_old']);
});
