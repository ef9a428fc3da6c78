import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countMirrorUsers, findMirrorVersions, lastAppliedWebhookAt, listLiveMirrorClerkIds } from '@expectations/db';
import { createTempDatabase, deleteMirroredUser, mirrorUser, type TempDatabase } from '@expectations/db/testing';

let db: TempDatabase;
beforeEach(() => {
  db = createTempDatabase();
});
afterEach(() => {
  db.destroy();
});

describe('the mirror audit’s read-only queries', () => {
  it('findMirrorVersions: the version held for each known Clerk id, deletion included', async () => {
    await mirrorUser(db, { clerkId: 'user_a', updatedAt: 1000 });
    await mirrorUser(db, { clerkId: 'user_b', updatedAt: 2000 });
    await deleteMirroredUser(db, 'user_b');
    const versions = await findMirrorVersions(db, ['user_a', 'user_b', 'user_unknown']);
    expect(versions.sort((x, y) => x.clerkId.localeCompare(y.clerkId))).toEqual([
      { clerkId: 'user_a', clerkUpdatedAt: 1000, deleted: false },
      { clerkId: 'user_b', clerkUpdatedAt: expect.any(Number), deleted: true },
    ]);
    expect(await findMirrorVersions(db, [])).toEqual([]);
  });

  it('listLiveMirrorClerkIds: live users only, in id order, page after page', async () => {
    for (const id of ['user_d', 'user_b', 'user_e', 'user_a', 'user_c']) await mirrorUser(db, { clerkId: id });
    await deleteMirroredUser(db, 'user_c');
    expect(await listLiveMirrorClerkIds(db, { limit: 2 })).toEqual(['user_a', 'user_b']);
    expect(await listLiveMirrorClerkIds(db, { after: 'user_b', limit: 2 })).toEqual(['user_d', 'user_e']);
    expect(await listLiveMirrorClerkIds(db, { after: 'user_e', limit: 2 })).toEqual([]);
  });

  it('countMirrorUsers and lastAppliedWebhookAt follow the webhook’s changes', async () => {
    expect(await countMirrorUsers(db)).toEqual({ live: 0, deleted: 0 });
    expect(await lastAppliedWebhookAt(db)).toBeNull();
    const before = Date.now();
    await mirrorUser(db, { clerkId: 'user_a' });
    await mirrorUser(db, { clerkId: 'user_b' });
    await deleteMirroredUser(db, 'user_a');
    expect(await countMirrorUsers(db)).toEqual({ live: 1, deleted: 1 });
    expect(await lastAppliedWebhookAt(db)).toBeGreaterThanOrEqual(before);
  });

  it('never writes: the database file is unchanged by every query', async () => {
    await mirrorUser(db, { clerkId: 'user_a' });
    const changesBefore = db.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number };
    await findMirrorVersions(db, ['user_a']);
    await listLiveMirrorClerkIds(db, { limit: 10 });
    await countMirrorUsers(db);
    await lastAppliedWebhookAt(db);
    expect(db.sqlite.prepare('SELECT total_changes() AS n').get()).toEqual(changesBefore);
  });
});
