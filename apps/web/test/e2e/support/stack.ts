import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@expectations/api/config';
import { createLogger } from '@expectations/api/logger';
import { startApi, type RunningApi } from '@expectations/api/server';
import { apiEnvironmentFor, startClerkEmulator, type RunningClerkEmulator } from '@expectations/clerk-emulator';
import { preview, type PreviewServer } from 'vite';
import { buildSpa, webRoot } from './build';

export interface Stack {
  dir: string;
  distDir: string;
  /** What the SPA's build printed. */
  buildLog: string;
  /** The SPA's origin, as a browser opens it. */
  siteUrl: string;
  emulator: RunningClerkEmulator;
  api: RunningApi;
  /** Lets the stand-in deliver its webhooks to the API (until then they wait in its outbox). */
  connectWebhooks(): void;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Session token lifetime in the stand-in (Clerk's is 60 s). */
  sessionTokenLifetimeSeconds?: number;
}

/** A port free right now on 127.0.0.1: the SPA's origin must be known before anything starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Vite's preview server on the built SPA, forwarding /__clerk to the stand-in as the dev server does. */
function servePreview(distDir: string, port: number, emulatorUrl: string): Promise<PreviewServer> {
  return preview({
    root: webRoot,
    logLevel: 'silent',
    build: { outDir: distDir },
    preview: {
      host: '127.0.0.1',
      port,
      strictPort: true,
      proxy: { '/__clerk': { target: emulatorUrl, changeOrigin: true, rewrite: (path) => path.slice('/__clerk'.length) } },
    },
  });
}

/**
 * The whole product on loopback, wired as in development: the built SPA on Vite's preview server
 * (forwarding Clerk's requests to the stand-in), the Clerk stand-in, and the real API trusting
 * the stand-in's key and webhook secret. Webhooks start disconnected so that a test can watch
 * the account-setup screen.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'expectations-e2e-'));
  const distDir = join(dir, 'dist');
  const siteUrl = `http://127.0.0.1:${await freePort()}`;
  let emulator: RunningClerkEmulator | undefined;
  let api: RunningApi | undefined;
  let site: PreviewServer | undefined;
  let buildLog = '';
  const stop = async () => {
    await Promise.allSettled([site?.close(), emulator?.close(), api?.close(1000)]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    emulator = await startClerkEmulator({
      dataDir: join(dir, 'clerk'),
      allowedOrigins: [siteUrl],
      webhookUrl: null,
      sessionTokenLifetimeSeconds: options.sessionTokenLifetimeSeconds,
    });
    const config = loadConfig({
      ...apiEnvironmentFor(emulator.config),
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: `file:${join(dir, 'api.db')}`,
      WEB_ORIGIN: siteUrl,
      LOG_LEVEL: 'silent',
    });
    api = await startApi(config, createLogger(config.LOG_LEVEL));
    // No Clerk key, as on a fresh clone: the build must choose the stand-in, with its /__clerk proxy path.
    buildLog = await buildSpa(distDir, { apiUrl: api.url });
    site = await servePreview(distDir, Number(new URL(siteUrl).port), emulator.url);
  } catch (error) {
    await stop();
    throw error;
  }
  const running = { emulator, api };
  return {
    dir,
    distDir,
    buildLog,
    siteUrl,
    ...running,
    connectWebhooks: () => running.emulator.setWebhookUrl(`${running.api.url}/api/webhooks/clerk`),
    stop,
  };
}
