import { mintSessionToken } from '@expectations/api/testing';
import { openDatabase } from '@expectations/db';
import { sqlRows } from '@expectations/db/testing';
import { apiEnv, WEB_ORIGIN, type BenchKeys, type NewDatabase } from '../lib/environments';
import { median, runLoad, type LoadResult } from '../lib/load';
import { API_ENTRY, startServer, type ServerProcess } from '../lib/processes';
import { bulkInsertExpectations, seedUsersThroughWebhooks } from '../lib/seed';

export interface ReplicasResult {
  connections: number;
  rounds: number;
  secondsPerRound: number;
  /** Requests per second, median over rounds: all connections on one API process. */
  oneReplicaPerSecond: number;
  /** The same connections split over two API processes on the same database, both summed. */
  twoReplicasPerSecond: number;
  twoOverOne: number;
  non2xx: number;
}

const USERS = 1000;
const EXPECTATIONS = 20_000;

/**
 * The read path (first page of expectations.list) served by one API process, then by two on the
 * same PostgreSQL database with the same total connections split between them, in alternating
 * rounds.
 */
export async function postgresReplicas(options: {
  keys: BenchKeys;
  newDatabase: NewDatabase;
  rounds: number;
  seconds: number;
  connections: number;
}): Promise<ReplicasResult> {
  const url = await options.newDatabase('replicas');
  const env = apiEnv(url, options.keys);
  const replicas: ServerProcess[] = [];
  try {
    replicas.push(await startServer('replica 1', API_ENTRY, env));
    await seedUsersThroughWebhooks(replicas[0]!.url, options.keys.signingSecret, USERS);
    const db = await openDatabase(url, { migrate: false });
    const userIds = (await sqlRows<{ id: number }>(db, 'SELECT id FROM users ORDER BY id')).map((row) => row.id);
    await bulkInsertExpectations(db, userIds, 0, EXPECTATIONS);
    await db.close();
    replicas.push(await startServer('replica 2', API_ENTRY, env));

    const tokens = Array.from({ length: 16 }, (_, n) =>
      mintSessionToken(options.keys.sessionKey, { sub: `user_bench${String(n).padStart(8, '0')}`, azp: WEB_ORIGIN }, { ttlSeconds: 3600 }),
    );
    const path = `/trpc/expectations.list?input=${encodeURIComponent(JSON.stringify({ limit: 20 }))}`;
    const load = (target: ServerProcess, connections: number) => {
      let next = 0;
      return runLoad({
        url: target.url,
        connections,
        seconds: options.seconds,
        nextRequest: () => ({ method: 'GET', path, headers: { authorization: `Bearer ${tokens[next++ % tokens.length]}`, origin: WEB_ORIGIN } }),
      });
    };
    const one: number[] = [];
    const two: number[] = [];
    const all: LoadResult[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 ? (['two', 'one'] as const) : (['one', 'two'] as const);
      for (const setup of order) {
        if (setup === 'one') {
          const result = await load(replicas[0]!, options.connections);
          all.push(result);
          one.push(result.requestsPerSecond);
        } else {
          const half = Math.floor(options.connections / 2);
          const results = await Promise.all([load(replicas[0]!, half), load(replicas[1]!, options.connections - half)]);
          all.push(...results);
          two.push(results.reduce((sum, result) => sum + result.requestsPerSecond, 0));
        }
      }
    }
    return {
      connections: options.connections,
      rounds: options.rounds,
      secondsPerRound: options.seconds,
      oneReplicaPerSecond: median(one),
      twoReplicasPerSecond: median(two),
      twoOverOne: median(two) / median(one),
      non2xx: all.reduce((sum, result) => sum + result.non2xx + result.errors, 0),
    };
  } finally {
    for (const replica of replicas) await replica.stop();
  }
}
