/**
 * The live feed under load: `subscriptions` open feed.changes streams on one API process, the
 * memory each idle one costs that process, and how long a change takes to reach all of them.
 *
 * `node --import tsx src/suites/live-feed.ts [--postgres] [--subscriptions N] [--changes N]`
 * (after `pnpm build` of the API, which `pnpm bench` does first) prints the figures as JSON.
 */
import { readFileSync, rmSync } from 'node:fs';
import { Agent, request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { mintSessionToken } from '@expectations/api/testing';
import { benchUserId } from '../lib/deliveries';
import { apiEnv, newBenchKeys, newSqliteDatabase, WEB_ORIGIN, type BenchKeys, type NewDatabase } from '../lib/environments';
import { newPostgresDatabase, withPostgres } from '../lib/postgres';
import { API_ENTRY, buildApi, rssOf, startServer } from '../lib/processes';
import { benchTeamId, seedTeamsThroughWebhooks, seedUsersThroughWebhooks } from '../lib/seed';

export interface LiveFeedResult {
  engine: 'sqlite' | 'postgres';
  subscriptions: number;
  /**
   * What the API holds per idle subscription: its V8 heap and external memory after a full
   * garbage collection, with the subscriptions open, less before they opened.
   */
  kibPerIdleSubscription: number;
  /** The same from the API's resident memory (garbage not yet collected counts too: an upper bound). */
  rssKibPerIdleSubscription: number;
  heapBeforeMiB: number;
  heapOpenMiB: number;
  rssBeforeMiB: number;
  rssOpenMiB: number;
  changes: number;
  /** Deliveries measured: every change to every subscription. */
  deliveries: number;
  /** Changes a stream received more than once (0 expected). */
  duplicates: number;
  /** From sending expectations.create to the event's arrival at a subscriber (includes the mutation's own round trip). */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  goals: { p99Ms: number; kibPerIdleSubscription: number };
}

const USERS = 100;
const OPEN_AT_ONCE = 50;

/** One open feed.changes stream, read by a minimal SSE line reader: a load generator, not a client library. */
interface OpenFeed {
  socket: IncomingMessage;
  /** Arrival times (performance.now()) of `bench change <k>`, by k. */
  arrivals: Map<number, number>;
  /** Changes that arrived more than once. */
  duplicates: number;
}

function openFeed(apiUrl: string, token: string, agent: Agent, onArrival: () => void): Promise<OpenFeed> {
  return new Promise((resolve, reject) => {
    const req = request(`${apiUrl}/trpc/feed.changes`, { agent, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`feed.changes answered ${res.statusCode}`));
      const feed: OpenFeed = { socket: res, arrivals: new Map(), duplicates: 0 };
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let end: number;
        while ((end = buffered.indexOf('\n\n')) !== -1) {
          const message = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (data === undefined || data === '') continue;
          const event = JSON.parse(data) as { type?: string; expectation?: { title: string } };
          if (event.type === 'ready') resolve(feed);
          const change = event.type === 'expectation.created' ? /^bench change (\d+)$/.exec(event.expectation!.title) : null;
          if (change && feed.arrivals.has(Number(change[1]))) feed.duplicates += 1;
          else if (change) {
            feed.arrivals.set(Number(change[1]), performance.now());
            onArrival();
          }
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

const HEAP_PROBE = new URL('../lib/heap-probe.mjs', import.meta.url).href;

/** The process's heap and external memory after a full collection (see heap-probe.mjs). */
async function heapAfterGc(pid: number, probeFile: string): Promise<number> {
  rmSync(probeFile, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 10_000; waited += 50) {
    await sleep(50);
    try {
      const usage = JSON.parse(readFileSync(probeFile, 'utf8')) as NodeJS.MemoryUsage;
      return usage.heapUsed + usage.external;
    } catch {
      // not written yet
    }
  }
  throw new Error(`the API did not answer the heap probe within 10 s (${probeFile})`);
}

/** Median of a few RSS samples a moment apart, after the process settled. */
async function settledRss(pid: number): Promise<number> {
  await sleep(2000);
  const samples: number[] = [];
  for (let n = 0; n < 5; n++) {
    samples.push(rssOf(pid));
    await sleep(200);
  }
  return samples.sort((a, b) => a - b)[2]!;
}

export async function liveFeed(options: {
  keys: BenchKeys;
  subscriptions: number;
  changes: number;
  engine?: 'sqlite' | 'postgres';
  newDatabase?: NewDatabase;
}): Promise<LiveFeedResult> {
  const newDatabase = options.newDatabase ?? newSqliteDatabase;
  const env = { ...apiEnv(await newDatabase('live_feed'), options.keys), MUTATION_RATE_LIMIT_PER_MINUTE: '1000000' };
  const probeFile = join(tmpdir(), `expectations-heap-probe-${process.pid}-${Date.now()}.json`);
  const api = await startServer('api', API_ENTRY, { ...env, HEAP_PROBE_FILE: probeFile }, ['--expose-gc', '--import', HEAP_PROBE]);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const feeds: OpenFeed[] = [];
  try {
    await seedUsersThroughWebhooks(api.url, options.keys.signingSecret, USERS);
    await seedTeamsThroughWebhooks(api.url, options.keys.signingSecret, 1, USERS);
    const claims = { azp: WEB_ORIGIN, v: 2, sts: 'active', o: { id: benchTeamId(0), rol: 'member', slg: 'bench' } };
    const tokens = Array.from({ length: USERS }, (_, n) => mintSessionToken(options.keys.sessionKey, { sub: benchUserId(n), ...claims }, { ttlSeconds: 3600 }));

    // A request first, so that what the subscriptions add is measured apart from the first request's warm-up.
    await fetch(`${api.url}/trpc/expectations.list`, { headers: { authorization: `Bearer ${tokens[0]}` } });
    const rssBefore = await settledRss(api.child.pid!);
    const heapBefore = await heapAfterGc(api.child.pid!, probeFile);

    let arrivals = 0;
    let waiting: (() => void) | null = null;
    const onArrival = () => {
      arrivals += 1;
      waiting?.();
    };
    for (let opened = 0; opened < options.subscriptions; opened += OPEN_AT_ONCE) {
      const batch = Array.from({ length: Math.min(OPEN_AT_ONCE, options.subscriptions - opened) }, (_, n) => openFeed(api.url, tokens[(opened + n) % USERS]!, agent, onArrival));
      feeds.push(...(await Promise.all(batch)));
    }
    const rssOpen = await settledRss(api.child.pid!);
    const heapOpen = await heapAfterGc(api.child.pid!, probeFile);

    const sentAt: number[] = [];
    for (let k = 0; k < options.changes; k++) {
      const expected = (k + 1) * feeds.length;
      sentAt[k] = performance.now();
      const response = await fetch(`${api.url}/trpc/expectations.create`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[k % USERS]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `bench change ${k}` }),
      });
      if (!response.ok) throw new Error(`expectations.create answered ${response.status}: ${await response.text()}`);
      while (arrivals < expected) await new Promise<void>((resolve) => (waiting = resolve));
      waiting = null;
    }

    const latencies = feeds.flatMap((feed) => [...feed.arrivals].map(([k, at]) => at - sentAt[k]!)).sort((a, b) => a - b);
    return {
      engine: options.engine ?? 'sqlite',
      subscriptions: feeds.length,
      kibPerIdleSubscription: round((heapOpen - heapBefore) / feeds.length / 1024),
      rssKibPerIdleSubscription: round((rssOpen - rssBefore) / feeds.length / 1024),
      heapBeforeMiB: round(heapBefore / 2 ** 20),
      heapOpenMiB: round(heapOpen / 2 ** 20),
      rssBeforeMiB: round(rssBefore / 2 ** 20),
      rssOpenMiB: round(rssOpen / 2 ** 20),
      changes: options.changes,
      deliveries: latencies.length,
      duplicates: feeds.reduce((sum, feed) => sum + feed.duplicates, 0),
      latencyMs: { p50: round(percentile(latencies, 50)), p90: round(percentile(latencies, 90)), p99: round(percentile(latencies, 99)), max: round(latencies.at(-1)!) },
      goals: { p99Ms: 250, kibPerIdleSubscription: 20 },
    };
  } finally {
    for (const feed of feeds) feed.socket.destroy();
    agent.destroy();
    await api.stop();
    rmSync(probeFile, { force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argument = (name: string, fallback: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
  const run = { keys: newBenchKeys(), subscriptions: argument('--subscriptions', 1000), changes: argument('--changes', 50) };
  buildApi();
  const result = process.argv.includes('--postgres')
    ? await withPostgres((server) => liveFeed({ ...run, engine: 'postgres', newDatabase: () => newPostgresDatabase(server) }))
    : await liveFeed(run);
  console.log(JSON.stringify(result, null, 2));
}
