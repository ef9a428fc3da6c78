import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { primaryEmailOf, startClerkEmulator, type ClerkUserJson, type RunningClerkEmulator } from '@expectations/clerk-emulator';
import { compareMirror, type MirrorRow } from '../src/mirror-comparison';

// The checker the chaos scenario relies on must itself catch every kind of divergence.
let dataDir: string;
let emulator: RunningClerkEmulator;
let ada: ClerkUserJson;
let goneId: string;

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mirror-comparison-'));
  emulator = await startClerkEmulator({ dataDir });
  ada = await admin<ClerkUserJson>('POST', '/admin/users', { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org', username: 'ada' });
  const gone = await admin<ClerkUserJson>('POST', '/admin/users', { first_name: 'Gone', last_name: null, email_address: 'gone@example.org' });
  goneId = gone.id;
  await admin('DELETE', `/admin/users/${goneId}`);
});

afterAll(async () => {
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const mirrorOf = (user: ClerkUserJson): MirrorRow => ({
  clerk_id: user.id,
  email: primaryEmailOf(user),
  first_name: user.first_name,
  last_name: user.last_name,
  username: user.username,
  image_url: user.image_url,
  clerk_updated_at: user.updated_at,
  deleted_at: null,
});
const tombstone = (clerkId: string): MirrorRow => ({
  clerk_id: clerkId,
  email: null,
  first_name: null,
  last_name: null,
  username: null,
  image_url: null,
  clerk_updated_at: 1,
  deleted_at: 2,
});

describe('compareMirror', () => {
  it('finds nothing when the mirror equals Clerk', () => {
    const result = compareMirror([mirrorOf(ada), tombstone(goneId)], [ada], [goneId]);
    expect(result).toEqual({ rowsCompared: 2, liveUsers: 1, deletedUsers: 1, divergences: [] });
  });

  it('names every field that differs, a missing row, a live tombstone and an extra row', () => {
    const stale = { ...mirrorOf(ada), first_name: 'Augusta', email: 'old@example.org', clerk_updated_at: ada.updated_at - 1 };
    expect(compareMirror([stale, tombstone(goneId)], [ada], [goneId]).divergences).toEqual([
      `${ada.id}: email is "old@example.org" in the mirror, "ada@example.org" in Clerk`,
      `${ada.id}: first_name is "Augusta" in the mirror, "Ada" in Clerk`,
      `${ada.id}: clerk_updated_at is ${ada.updated_at - 1} in the mirror, ${ada.updated_at} in Clerk`,
    ]);
    expect(compareMirror([tombstone(goneId)], [ada], [goneId]).divergences).toEqual([`${ada.id}: live in Clerk but has no mirror row`]);
    expect(compareMirror([{ ...mirrorOf(ada), deleted_at: 5 }, tombstone(goneId)], [ada], [goneId]).divergences).toEqual([
      `${ada.id}: deleted_at is 5 in the mirror, null in Clerk`,
    ]);
    expect(compareMirror([mirrorOf(ada), tombstone(goneId), tombstone('user_stray')], [ada], [goneId]).divergences).toEqual([
      'user_stray: in the mirror but unknown to Clerk',
    ]);
  });

  it('requires deleted users to be tombstoned with every personal field erased', () => {
    expect(compareMirror([mirrorOf(ada)], [ada], [goneId]).divergences).toEqual([`${goneId}: deleted in Clerk but has no tombstone in the mirror`]);
    const notErased = { ...tombstone(goneId), first_name: 'Gone', deleted_at: null };
    expect(compareMirror([mirrorOf(ada), notErased], [ada], [goneId]).divergences).toEqual([
      `${goneId}: deleted in Clerk but deleted_at is null in the mirror`,
      `${goneId}: deleted in Clerk but first_name is still "Gone" in the mirror`,
    ]);
  });
});
