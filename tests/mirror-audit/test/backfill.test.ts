import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMirrorAuditQueries } from '@expectations/db';
import { Stack } from '../src/stack';

const USERS = 2000;
/** Enough to take the 2,000 metadata changes through several 10-second windows, and their 429s. */
const RATE_LIMIT = 500;

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.beforeTheEndpoint(USERS, { bapiRateLimit: RATE_LIMIT });
}, 180_000);
afterAll(() => stack.stop());

it(`--resync brings ${USERS.toLocaleString('en')} users that predate the webhook into the mirror, paging and backing off under 429`, async () => {
  const before = await stack.auditJson();
  expect(before.code).toBe(1);
  expect(before.report.checked).toBe(USERS);
  expect(before.report.missing).toHaveLength(USERS);
  expect(new Set(before.report.missing).size).toBe(USERS);

  // Another client takes the allowance of each window for the first 15 s, so the resync meets
  // 429s however fast this machine is (on a slow one its own pace may stay under the limit).
  const saturating = stack.saturateBackendApi(15_000);
  const started = Date.now();
  // `--wait-seconds 120` lets the audit wait that long for the webhooks after touching 2,000 users
  // at 500 per 10 s (40 s at the least): the harness's own kill, 120 s by default, must come after
  // both, or it ends an audit that is still within what it was told to do.
  const { code, report, stderr } = await stack.auditJson(['--resync', '--wait-seconds', '120'], 180_000);
  await saturating;
  const seconds = (Date.now() - started) / 1000;
  expect(report).toEqual({ checked: USERS, missing: [], stale: [], ghosts: [] });
  expect(code).toBe(0);
  // The Backend API refused some requests with 429, and the audit waited and carried on.
  expect(stderr).toMatch(/Clerk rate-limited \d+ requests/);
  expect(await stack.readMirror((db) => createMirrorAuditQueries(db).countMirrorUsers())).toEqual({ live: USERS, deleted: 0 });
  console.log(`resync of ${USERS} users under a limit of ${RATE_LIMIT} per 10 s: ${seconds.toFixed(1)} s, ${(USERS / seconds).toFixed(0)} users/s (${stderr.trim()})`);

  const after = await stack.auditJson();
  expect(after).toMatchObject({ code: 0, report: { checked: USERS, missing: [], stale: [], ghosts: [] } });
});
