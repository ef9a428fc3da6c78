import { join } from 'node:path';
import { mintSessionToken } from '@expectations/api/testing';
import { openDatabase } from '@expectations/db';
import { sqlRows } from '@expectations/db/testing';
import { apiEnv, tempDir, WEB_ORIGIN, type BenchKeys } from '../lib/environments';
import { apiAgainstFloor, runLoad, type LoadSummary } from '../lib/load';
import { startServer, type ServerProcess } from '../lib/processes';
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
  const api = await startServer('api', 'apps/api/src/main.ts', env, options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []);
  let floor: ServerProcess | undefined;
  try {
    await seedUsersThroughWebhooks(api.url, options.keys.signingSecret, USERS);
    const db = await openDatabase(`file:${path}`, { migrate: false });
    const userIds = (await sqlRows<{ id: number }>(db, 'SELECT id FROM users ORDER BY id')).map((row) => row.id);
    await bulkInsertExpectations(db, userIds, 0, EXPECTATIONS);
    await db.close();
    floor = await startServer('floor', 'bench/src/floors/read-floor.ts', env);

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
