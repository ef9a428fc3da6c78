import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMirrorAuditQueries, type MirrorAuditQueries } from '@expectations/db';
import { createTempDatabase, databaseSnapshot, deleteMirroredUser, mirrorUser, type TempDatabase } from '@expectations/db/testing';

let db: TempDatabase;
let queries: MirrorAuditQueries;
beforeEach(async () => {
  db = await createTempDatabase();
  queries = createMirrorAuditQueries(db);
});
afterEach(async () => {
  await db.destroy();
});

describe('the mirror audit’s read-only queries', () => {
  it('findMirrorVersions: the version held for each known Clerk id, deletion included', async () => {
    await mirrorUser(db, { clerkId: 'user_a', updatedAt: 1000 });
    await mirrorUser(db, { clerkId: 'user_b', updatedAt: 2000 });
    await deleteMirroredUser(db, 'user_b');
    const versions = await queries.findMirrorVersions(['user_a', 'user_b', 'user_unknown']);
    expect(versions.sort((x, y) => x.clerkId.localeCompare(y.clerkId))).toEqual([
      { clerkId: 'user_a', clerkUpdatedAt: 1000, deleted: false },
      { clerkId: 'user_b', clerkUpdatedAt: expect.any(Number), deleted: true },
    ]);
    expect(await queries.findMirrorVersions([])).toEqual([]);
  });

  it('listLiveMirrorClerkIds: live users only, in id order, page after page', async () => {
    for (const id of ['user_d', 'user_b', 'user_e', 'user_a', 'user_c']) await mirrorUser(db, { clerkId: id });
    await deleteMirroredUser(db, 'user_c');
    expect(await queries.listLiveMirrorClerkIds({ limit: 2 })).toEqual(['user_a', 'user_b']);
    expect(await queries.listLiveMirrorClerkIds({ after: 'user_b', limit: 2 })).toEqual(['user_d', 'user_e']);
    expect(await queries.listLiveMirrorClerkIds({ after: 'user_e', limit: 2 })).toEqual([]);
  });

  it('countMirrorUsers and lastAppliedWebhookAt follow the webhook’s changes', async () => {
    expect(await queries.countMirrorUsers()).toEqual({ live: 0, deleted: 0 });
    expect(await queries.lastAppliedWebhookAt()).toBeNull();
    const before = Date.now();
    await mirrorUser(db, { clerkId: 'user_a' });
    await mirrorUser(db, { clerkId: 'user_b' });
    await deleteMirroredUser(db, 'user_a');
    expect(await queries.countMirrorUsers()).toEqual({ live: 1, deleted: 1 });
    expect(await queries.lastAppliedWebhookAt()).toBeGreaterThanOrEqual(before);
  });

  it('never writes: the database file is unchanged by every query', async () => {
    await mirrorUser(db, { clerkId: 'user_a' });
    const before = await databaseSnapshot(db);
    await queries.findMirrorVersions(['user_a']);
    await queries.listLiveMirrorClerkIds({ limit: 10 });
    await queries.countMirrorUsers();
    await queries.lastAppliedWebhookAt();
    expect(await databaseSnapshot(db)).toBe(before);
  });
});
