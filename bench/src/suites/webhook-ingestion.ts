import { clerkUserEvent, signedWebhookRequest } from '../lib/deliveries';
import { apiEnv, newSqliteDatabase, type BenchKeys, type NewDatabase } from '../lib/environments';
import { apiAgainstFloor, runLoad, type LoadSummary } from '../lib/load';
import { API_ENTRY, startServer, type ServerProcess } from '../lib/processes';

export interface IngestionResult {
  connections: number;
  rounds: number;
  secondsPerRound: number;
  api: LoadSummary;
  floor: LoadSummary;
  ratio: number;
}

const USERS = 1000;

/**
 * Signed `user.updated` deliveries per second, durable (synchronous=FULL, as in production), at a
 * fixed concurrency, against the floor, alternating rounds so both see the same machine noise.
 */
export async function webhookIngestion(options: {
  keys: BenchKeys;
  rounds: number;
  seconds: number;
  connections: number;
  newDatabase?: NewDatabase;
}): Promise<IngestionResult> {
  const newDatabase = options.newDatabase ?? newSqliteDatabase;
  const api = await startServer('api', API_ENTRY, apiEnv(await newDatabase('ingest_api'), options.keys));
  const floor = await startServer('floor', 'bench/src/floors/webhook-floor.ts', apiEnv(await newDatabase('ingest_floor'), options.keys));
  try {
    let version = 1_767_225_600_000;
    const created = (n: number) => signedWebhookRequest(options.keys.signingSecret, clerkUserEvent('user.created', n, version));
    for (const server of [api, floor]) await seed(server, created);

    let n = 0;
    const nextUpdate = () => signedWebhookRequest(options.keys.signingSecret, clerkUserEvent('user.updated', n++ % USERS, ++version));
    const compared = await apiAgainstFloor(api, floor, options.rounds, (url) =>
      runLoad({ url, connections: options.connections, seconds: options.seconds, nextRequest: nextUpdate }),
    );
    return { connections: options.connections, rounds: options.rounds, secondsPerRound: options.seconds, ...compared };
  } finally {
    await api.stop();
    await floor.stop();
  }
}

async function seed(server: ServerProcess, request: (n: number) => ReturnType<typeof signedWebhookRequest>) {
  for (let n = 0; n < USERS; n++) {
    const { method, path, headers, body } = request(n);
    const response = await fetch(`${server.url}${path}`, { method, headers, body });
    if (!response.ok) throw new Error(`${server.name}: seeding user ${n} failed with ${response.status}`);
  }
}
