import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@expectations/api/config';
import { createLogger } from '@expectations/api/logger';
import { startApi, type RunningApi } from '@expectations/api/server';
import { apiEnvironmentFor, startClerkEmulator, type RunningClerkEmulator } from '@expectations/clerk-emulator';
import { buildSpa } from './build';
import { serveStaticSite, type StaticSite } from './static-server';

export interface Stack {
  dir: string;
  distDir: string;
  site: StaticSite;
  emulator: RunningClerkEmulator;
  api: RunningApi;
  /** Lets the stand-in deliver its webhooks to the API (until then they wait in its outbox). */
  connectWebhooks(): void;
  stop(): Promise<void>;
}

/**
 * The whole product on loopback, wired as in development: the built SPA on a static server,
 * the Clerk stand-in, and the real API trusting the stand-in's key and webhook secret.
 * Webhooks start disconnected so the test can watch the account-setup screen.
 */
export async function startStack(): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'expectations-e2e-'));
  const distDir = join(dir, 'dist');
  const site = await serveStaticSite(distDir);
  const emulator = await startClerkEmulator({ dataDir: join(dir, 'clerk'), allowedOrigins: [site.url], webhookUrl: null });
  const config = loadConfig({
    ...apiEnvironmentFor(emulator.config),
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: `file:${join(dir, 'api.db')}`,
    WEB_ORIGIN: site.url,
    LOG_LEVEL: 'silent',
  });
  const api = await startApi(config, createLogger(config.LOG_LEVEL));
  await buildSpa(distDir, { apiUrl: api.url, clerkEmulatorUrl: emulator.url });

  return {
    dir,
    distDir,
    site,
    emulator,
    api,
    connectWebhooks: () => emulator.setWebhookUrl(`${api.url}/api/webhooks/clerk`),
    async stop() {
      await Promise.allSettled([site.close(), emulator.close(), api.close(1000)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
