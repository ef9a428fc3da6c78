import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByClerkId } from '@expectations/db/testing';
import { primaryEmailOf, type ClerkUserJson } from '@expectations/clerk-emulator';
import { noDrift, Stack } from '../src/stack';

const sorted = (ids: string[]) => [...ids].sort();

/**
 * An outage longer than the webhook's retries: while the API is down, users are created,
 * updated and deleted in Clerk, and every one of those messages is given up. The audit must see
 * exactly that drift, --resync must repair the missing and stale users through the webhook, and
 * the stand-in's recover call (Svix's "recover failed messages") the ghosts.
 */
describe('drift after an outage, found and repaired', () => {
  let stack: Stack;
  let kept: ClerkUserJson[];
  let created: ClerkUserJson[];
  let updated: ClerkUserJson[];
  let deletedIds: string[];

  beforeAll(async () => {
    stack = await Stack.start({ webhookMaxAttempts: 2, bapiRateLimit: null });
    await stack.startApi();
    const before = [];
    for (let n = 0; n < 6; n++) before.push(await stack.createUser(n));
    await stack.until('the first users to reach the mirror', () => stack.clerk.webhookStats().delivered === 6);

    await stack.stopApi();
    created = [];
    for (let n = 6; n < 9; n++) created.push(await stack.createUser(n));
    updated = [];
    for (const user of before.slice(0, 2)) updated.push(await stack.admin<ClerkUserJson>('PATCH', `/admin/users/${user.id}`, { last_name: 'Renamed' }));
    deletedIds = before.slice(2, 4).map((user) => user.id);
    for (const id of deletedIds) await stack.admin('DELETE', `/admin/users/${id}`);
    kept = before.slice(4);
    await stack.until('seven messages to be given up', () => stack.clerk.webhookStats().given_up === 7);
    expect(stack.clerk.webhookStats()).toMatchObject({ pending: 0, delivered: 6, given_up: 7 });
    await stack.startApi();
  });
  afterAll(() => stack.stop());

  it('the audit reports exactly the users created, updated and deleted during the outage, and exits 1', async () => {
    const { code, report } = await stack.auditJson();
    expect(code).toBe(1);
    expect(report.checked).toBe(kept.length + updated.length + created.length);
    expect(sorted(report.missing)).toEqual(sorted(created.map((user) => user.id)));
    expect(sorted(report.stale)).toEqual(sorted(updated.map((user) => user.id)));
    expect(sorted(report.ghosts)).toEqual(sorted(deletedIds));
  });

  it('prints a table and what to do on a terminal, without --json', async () => {
    const { code, stdout } = await stack.audit();
    expect(code).toBe(1);
    expect(stdout).toContain('Checked 7 Clerk users');
    for (const user of [...created, ...updated]) expect(stdout).toContain(user.id);
    for (const id of deletedIds) expect(stdout).toMatch(new RegExp(`ghost\\s*│\\s*${id}`));
    expect(stdout).toContain('Users: 3 missing, 2 stale, 2 ghosts.');
    expect(stdout).toContain('Organizations: no drift.');
    expect(stdout).toContain('--resync');
    expect(stdout).toContain('Recover failed messages');
  });

  it('--resync repairs missing and stale users through the webhook; the ghosts stay for recovery', async () => {
    const { code, report } = await stack.auditJson(['--resync', '--wait-seconds', '60']);
    expect(code).toBe(1);
    expect(report).toEqual({ ...noDrift({ users: 7 }), ghosts: expect.any(Array) });
    expect(sorted(report.ghosts)).toEqual(sorted(deletedIds));

    await stack.readMirror(async (db) => {
      for (const user of [...created, ...updated]) {
        const row = await findUserByClerkId(db, user.id);
        expect(row, user.id).toMatchObject({ firstName: user.first_name, lastName: user.last_name, email: primaryEmailOf(user), deletedAt: null });
      }
    });
    // Clerk was asked through the Backend API: the documented key marks each resynced user.
    const resynced = await stack.admin<ClerkUserJson>('GET', `/admin/users/${created[0]!.id}`);
    expect(resynced.private_metadata).toEqual({ mirrorResyncRequestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it('the stand-in’s recover call repairs the ghosts, and the audit then exits 0', async () => {
    expect(await stack.admin('POST', '/admin/webhooks/recover', {})).toEqual({ recovered: 7 });
    await stack.until('the recovered messages to be delivered', () => {
      const stats = stack.clerk.webhookStats();
      return stats.pending === 0 && stats.given_up === 0;
    });
    const { code, report } = await stack.auditJson();
    expect(report).toEqual(noDrift({ users: 7 }));
    expect(code).toBe(0);
    const { stdout } = await stack.audit();
    expect(stdout).toContain('No drift: the mirror matches Clerk.');
    await stack.readMirror(async (db) => {
      for (const id of deletedIds) expect((await findUserByClerkId(db, id))?.deletedAt, id).not.toBeNull();
    });
  });
});
