import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { openDatabase, type Database } from '@expectations/db';
import { createApp } from './app';
import { bundledMigrationsRoot } from './bundled-migrations';
import type { Config } from './config';
import { startLiveFeed, type LiveFeed } from './feed/live-feed';
import type { Logger } from './logger';
import { startWebhookEventsRetention } from './webhooks/webhook-events-retention';

export interface RunningApi {
  server: Server;
  db: Database;
  /** The live feed's hub and retention, for tests and benchmarks that look inside. */
  liveFeed: LiveFeed;
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes the database. */
  close(graceMs?: number): Promise<void>;
}

export async function startApi(config: Config, log: Logger): Promise<RunningApi> {
  const db = await openDatabase(config.DATABASE_URL, {
    migrationsRoot: bundledMigrationsRoot,
    poolSize: config.DATABASE_POOL_SIZE,
    ...(config.MIRROR_WRITER_DATABASE_URL === undefined ? {} : { mirrorWriterUrl: config.MIRROR_WRITER_DATABASE_URL }),
    onConnectionError: (error) => log.warn({ err: error }, 'a pooled database connection failed; the pool replaces it'),
  });
  const webhookEventsRetention = startWebhookEventsRetention({ db, log, retentionDays: config.WEBHOOK_EVENTS_RETENTION_DAYS });
  const liveFeed = await startLiveFeed({ db, log, retentionHours: config.FEED_EVENTS_RETENTION_HOURS });
  const app = createApp({ config, db, log, webhookEventsRetention, liveFeed });
  const server = createServer(app);
  server.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;

  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000) =>
    (closing ??= new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), graceMs).unref();
      server.close(() => {
        clearTimeout(force);
        void webhookEventsRetention.stop().then(() => db.close()).then(resolve);
      });
      // Open feeds never finish by themselves: their clients reconnect to another replica and resume.
      void liveFeed.close();
      // Keep-alive sockets with no request in flight would hold close() open.
      server.closeIdleConnections();
    }));

  return { server, db, liveFeed, url: `http://${host}:${port}`, close };
}
