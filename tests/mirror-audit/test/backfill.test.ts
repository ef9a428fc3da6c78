import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BAPI_RATE_WINDOW_MS } from '@expectations/clerk-emulator';
import { createMirrorAuditQueries } from '@expectations/db';
import { noDrift, Stack } from '../src/stack';

const USERS = 2000;
/** Enough to take the 2,000 metadata changes through several 10-second windows, and their 429s. */
const RATE_LIMIT = 500;

let stack: Stack;
beforeAll(async () => {
  stack = await Stack.beforeTheEndpoint(USERS, { bapiRateLimit: RATE_LIMIT });
}, 180_000);
afterAll(() => stack.stop());

async function firstUserMirrored(stop: AbortSignal): Promise<void> {
  const live = () => stack.readMirror(async (db) => (await createMirrorAuditQueries(db).countMirrorUsers()).live);
  while ((await live()) === 0) await sleep(250, undefined, { signal: stop });
}

it(`--resync brings ${USERS.toLocaleString('en')} users that predate the webhook into the mirror, paging and backing off under 429`, async () => {
  const before = await stack.auditJson();
  expect(before.code).toBe(1);
  expect(before.report.checked).toBe(USERS);
  expect(before.report.missing).toHaveLength(USERS);
  expect(new Set(before.report.missing).size).toBe(USERS);

  // Another client takes the allowance of each window from before the run until a whole window
  // after the first user the resync touched reached the mirror: the audit is touching users then,
  // so it meets 429s however fast or slow this machine is (at its own pace it may stay under the
  // limit, and on a loaded machine its first pass over Clerk's list alone may outlast any fixed time).
  const stopSaturating = new AbortController();
  const saturating = stack.saturateBackendApi(stopSaturating.signal);
  const started = Date.now();
  // `--wait-seconds 120` lets the audit wait that long for the webhooks after touching 2,000 users
  // at 500 per 10 s (40 s at the least): the harness's own kill, 120 s by default, must come after
  // both, or it ends an audit that is still within what it was told to do.
  const resync = stack.auditJson(['--resync', '--wait-seconds', '120'], 180_000).finally(() => stopSaturating.abort());
  void firstUserMirrored(stopSaturating.signal)
    .then(() => sleep(BAPI_RATE_WINDOW_MS, undefined, { signal: stopSaturating.signal }))
    .then(() => stopSaturating.abort(), () => undefined);
  const { code, report, stderr } = await resync;
  await saturating;
  const seconds = (Date.now() - started) / 1000;
  expect(report).toEqual(noDrift({ users: USERS }));
  expect(code).toBe(0);
  // The Backend API refused some requests with 429, and the audit waited and carried on.
  expect(stderr).toMatch(/Clerk rate-limited \d+ requests/);
  expect(await stack.readMirror((db) => createMirrorAuditQueries(db).countMirrorUsers())).toEqual({ live: USERS, deleted: 0 });
  console.log(`resync of ${USERS} users under a limit of ${RATE_LIMIT} per 10 s: ${seconds.toFixed(1)} s, ${(USERS / seconds).toFixed(0)} users/s (${stderr.trim()})`);

  const after = await stack.auditJson();
  expect(after).toMatchObject({ code: 0, report: noDrift({ users: USERS }) });
});
