/**
 * `pnpm --filter @expectations/mirror-audit-tests speed [users] [rate limit]`: how fast the audit
 * and its --resync run against the stand-in, with the stand-in's Backend API limited to `rate
 * limit` requests per 10 s (0: no limit). Users are created with their webhooks lost, as for a
 * backfill. Prints one JSON line; the figures go to docs/operations.md by hand.
 */
import { loadavg } from 'node:os';
import { Stack } from './stack';

const users = Number(process.argv[2] ?? 2000);
const rateLimit = Number(process.argv[3] ?? 100);

const stack = await Stack.beforeTheEndpoint(users, { bapiRateLimit: rateLimit === 0 ? null : rateLimit });
try {
  // Let the stand-in's rate window, spent on nothing yet, start fresh for each timed run.
  const timed = async (args: string[]) => {
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const started = Date.now();
    const run = await stack.auditJson(args, 900_000);
    const seconds = (Date.now() - started) / 1000;
    return { seconds, usersPerSecond: Math.round(users / seconds), exit: run.code, rateLimited: /rate-limited (\d+)/.exec(run.stderr)?.[1] ?? '0' };
  };
  const load = loadavg().map((value) => value.toFixed(2)).join(', ');
  const audit = await timed([]);
  const resync = await timed(['--resync', '--wait-seconds', '600']);
  const clean = await timed([]);
  console.log(JSON.stringify({ users, rateLimitPer10s: rateLimit || 'none', loadAverageAtStart: load, audit, resync, auditAfter: clean }));
} finally {
  await stack.stop();
}
