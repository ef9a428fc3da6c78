import { join } from 'node:path';
import { mintSessionToken } from '@expectations/api/testing';
import { openDatabase } from '@expectations/db';
import { apiEnv, tempDir, WEB_ORIGIN, type BenchKeys } from '../lib/environments';
import { apiAgainstFloor, runLoad, type LoadSummary } from '../lib/load';
import { API_ENTRY, startServer, type ServerProcess } from '../lib/processes';
import { bulkInsertExpectations, seedUsersThroughWebhooks } from '../lib/seed';

export interface ReadPathResult {
  expectations: number;
  users: number;
  connections: number;
  rounds: number;
  secondsPerRound: number;
  api: LoadSummary;
  floor: LoadSummary;
  ratio: number;
  apiPeakRssMiB: number;
  floorPeakRssMiB: number;
}

const USERS = 1000;
const EXPECTATIONS = 20_000;
const SIGNED_IN_USERS = 16;

/**
 * `GET /trpc/expectations.list` (first page of 20, both joins, Bearer RS256 token) on the real
 * API against the frameworkless floor, in alternating rounds at fixed concurrency.
 */
export async function readPath(options: {
  keys: BenchKeys;
  rounds: number;
  seconds: number;
  connections: number;
  cpuProfileDir?: string;
}): Promise<ReadPathResult> {
  const dir = tempDir('read');
  const path = join(dir, 'read.db');
  const env = apiEnv(path, options.keys);
  const api = await startServer('api', API_ENTRY, env, options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []);
  let floor: ServerProcess | undefined;
  try {
    await seedUsersThroughWebhooks(api.url, options.keys.signingSecret, USERS);
    const db = openDatabase(path, { migrate: false });
    const userIds = (db.sqlite.prepare('SELECT id FROM users ORDER BY id').all() as Array<{ id: number }>).map((row) => row.id);
    bulkInsertExpectations(db, userIds, 0, EXPECTATIONS);
    db.close();
    floor = await startServer('floor', 'bench/src/floors/read-floor.ts', env);
    // The peak RSS reported is the one under this suite's load, not the seeding's.
    api.resetPeakRss();

    const path20 = `/trpc/expectations.list?input=${encodeURIComponent(JSON.stringify({ limit: 20 }))}`;
    const compared = await apiAgainstFloor(api, floor, options.rounds, (url) => {
      // Fresh tokens each run: Clerk's expire after a minute.
      const tokens = Array.from({ length: SIGNED_IN_USERS }, (_, n) =>
        mintSessionToken(options.keys.sessionKey, { sub: `user_bench${String(n).padStart(8, '0')}`, azp: WEB_ORIGIN }, { ttlSeconds: 600 }),
      );
      let next = 0;
      const nextRequest = () => ({
        method: 'GET' as const,
        path: path20,
        headers: { authorization: `Bearer ${tokens[next++ % tokens.length]}`, origin: WEB_ORIGIN },
      });
      return runLoad({ url, connections: options.connections, seconds: options.seconds, nextRequest });
    });
    return {
      expectations: EXPECTATIONS,
      users: USERS,
      connections: options.connections,
      rounds: options.rounds,
      secondsPerRound: options.seconds,
      ...compared,
      apiPeakRssMiB: api.peakRssBytes() / 2 ** 20,
      floorPeakRssMiB: floor.peakRssBytes() / 2 ** 20,
    };
  } finally {
    await api.stop();
    await floor?.stop();
  }
}
