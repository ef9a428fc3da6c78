import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createEmulatorApp } from './app';
import { assertNotProduction } from './config';
import { DEFAULT_BAPI_RATE_LIMIT } from './http/backend-api';
import { clerkScriptPackages } from './frontend-api/clerk-scripts';
import { Clients } from './frontend-api/clients';
import type { EmulatorContext } from './http/context';
import { loadOrCreateInstance, publicConfigOf, type EmulatorPublicConfig } from './instance';
import { silentLogger, type Logger } from './logger';
import { WebhookOutbox, type WebhookStats } from './outbox';
import { ProfileImages } from './profile-images';
import { SESSION_TOKEN_LIFETIME_SECONDS } from './session-tokens';
import { Sessions } from './sessions';
import { OrganizationDirectory } from './organization-directory';
import { OrganizationInvitations } from './organization-invitations';
import { openEmulatorStore } from './store';
import { UserDirectory } from './user-directory';
import { describeFaults, hasFaults, NO_FAULTS, parseWebhookFaults, type WebhookFaults } from './webhook-faults';
import { WebhookEventQueue } from './webhook-events';
import { WebhookSender } from './webhook-sender';

export interface ClerkEmulatorOptions {
  /** Folder of the store and keys (default `.data/clerk-emulator` under the current directory). */
  dataDir?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The base URL browsers use (default `http://<host>:<port>`; `localhost` for a wildcard host). */
  publicUrl?: string;
  /** Where webhooks go. Default null: events wait in the outbox until `setWebhookUrl`. */
  webhookUrl?: string | null;
  /** A `WEBHOOK_FAULTS` string or parsed faults (default none). */
  webhookFaults?: string | WebhookFaults;
  /** SPA origins (default http://localhost:5173). */
  allowedOrigins?: string[];
  /** Default: silent. */
  logger?: Logger;
  /** Lifetime of session tokens (default 60 s, as Clerk's); shorter makes clerk-js refresh sooner. */
  sessionTokenLifetimeSeconds?: number;
  webhookConcurrency?: number;
  webhookAttemptTimeoutMs?: number;
  /** Attempts after which a message is given up until recovered (default: never, see webhook-sender.ts). */
  webhookMaxAttempts?: number | null;
  /** Backend API requests allowed per 10 s (default 100, Clerk's for development instances); null: no limit. */
  bapiRateLimit?: number | null;
}

export interface RunningClerkEmulator {
  /** Base URL, no trailing slash: the tokens' `iss` and the prefix of the generated avatars. */
  url: string;
  port: number;
  dataDir: string;
  /** What the API and the SPA need: CLERK_JWT_KEY, CLERK_WEBHOOK_SIGNING_SECRET, CLERK_SECRET_KEY, the publishable key. */
  config: EmulatorPublicConfig;
  faults: WebhookFaults;
  setWebhookUrl(url: string | null): void;
  webhookStats(): WebhookStats;
  /** Sends given-up messages created at or after `since` (epoch ms, default all) again; returns how many. */
  recoverWebhooks(since?: number): number;
  server: Server;
  /** Stops sending (pending messages stay in the outbox for the next start), closes the server and the store. */
  close(): Promise<void>;
}

/** Starts the local Clerk stand-in. Refuses under NODE_ENV=production. */
export async function startClerkEmulator(options: ClerkEmulatorOptions = {}): Promise<RunningClerkEmulator> {
  assertNotProduction();
  const log = options.logger ?? silentLogger();
  const dataDir = resolve(options.dataDir ?? '.data/clerk-emulator');
  const faults =
    typeof options.webhookFaults === 'string' ? parseWebhookFaults(options.webhookFaults) : (options.webhookFaults ?? NO_FAULTS);
  const allowedOrigins = options.allowedOrigins ?? ['http://localhost:5173'];
  const host = options.host ?? '127.0.0.1';

  // Before anything is opened: a missing Clerk script is a broken install, not a runtime surprise.
  const clerkScripts = clerkScriptPackages();
  const store = openEmulatorStore(dataDir);
  let server: Server | undefined;
  try {
    const identity = loadOrCreateInstance(store.db);
    const outbox = new WebhookOutbox(store.db);
    const sessions = new Sessions(store.db);

    // Listen first: the public URL (tokens' iss, avatar URLs) depends on the port we get.
    const handler: { app?: (req: IncomingMessage, res: ServerResponse) => void } = {};
    server = createServer((req, res) => {
      if (handler.app) handler.app(req, res);
      else res.writeHead(503, { 'content-type': 'text/plain' }).end('Starting.');
    });
    const listening = server;
    await new Promise<void>((resolveListen, reject) => {
      listening.once('error', reject);
      listening.listen(options.port ?? 0, host, () => {
        listening.off('error', reject);
        resolveListen();
      });
    });
    const { port } = listening.address() as AddressInfo;
    const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    const publicUrl = (options.publicUrl ?? `http://${urlHost}:${port}`).replace(/\/+$/, '');

    const sender = new WebhookSender({
      outbox,
      signingSecret: identity.webhookSigningSecret,
      url: options.webhookUrl ?? null,
      faults,
      log,
      concurrency: options.webhookConcurrency,
      attemptTimeoutMs: options.webhookAttemptTimeoutMs,
      maxAttempts: options.webhookMaxAttempts ?? null,
    });
    const events = new WebhookEventQueue(outbox, identity.instanceId);
    const onEventQueued = () => sender.notify();
    // An organization's members are users, and a user's deletion removes their memberships.
    const organizations = new OrganizationDirectory({ db: store.db, events, users: { get: (id) => directory.get(id) }, onEventQueued });
    const directory = new UserDirectory({
      db: store.db,
      events,
      sessions,
      publicUrl,
      onEventQueued,
      onDeleting: (userId, now, context) => organizations.removeMembershipsOfUser(userId, now, context),
    });
    const invitations = new OrganizationInvitations({ db: store.db, events, organizations, onEventQueued });
    const publicConfig = publicConfigOf(identity);
    const recoverWebhooks = (since = 0) => {
      const recovered = outbox.recover(since, Date.now());
      sender.notify();
      return recovered;
    };
    const bapiRateLimit = options.bapiRateLimit === undefined ? DEFAULT_BAPI_RATE_LIMIT : options.bapiRateLimit;
    const ctx: EmulatorContext = {
      directory,
      organizations,
      invitations,
      sessions,
      clients: new Clients(store.db),
      images: new ProfileImages(store.db),
      outbox,
      identity,
      publicConfig,
      publicUrl,
      allowedOrigins,
      sessionTokenLifetimeSeconds: options.sessionTokenLifetimeSeconds ?? SESSION_TOKEN_LIFETIME_SECONDS,
      log,
      recoverWebhooks,
      bapiRateLimit,
    };
    handler.app = createEmulatorApp(ctx, clerkScripts);
    sender.start();

    const pending = outbox.stats().pending;
    log.info(
      {
        url: publicUrl,
        dataDir,
        webhookUrl: sender.webhookUrl,
        webhookFaults: hasFaults(faults) ? describeFaults(faults) : 'none',
        pendingWebhooks: pending,
        allowedOrigins,
        clerkScripts: clerkScripts.map((pkg) => `${pkg.name}@${pkg.version}`),
        sessionTokenLifetimeSeconds: ctx.sessionTokenLifetimeSeconds,
      },
      'clerk stand-in listening',
    );

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await sender.stop();
        await new Promise<void>((resolveClose) => {
          listening.close(() => resolveClose());
          listening.closeIdleConnections();
          setTimeout(() => listening.closeAllConnections(), 2000).unref();
        });
        store.close();
      })());

    return {
      url: publicUrl,
      port,
      dataDir,
      config: publicConfig,
      faults,
      setWebhookUrl: (url) => sender.setUrl(url),
      webhookStats: () => outbox.stats(),
      recoverWebhooks,
      server: listening,
      close,
    };
  } catch (error) {
    server?.close();
    store.close();
    throw error;
  }
}

/** The API's Clerk variables for a running stand-in: the API needs nothing else to trust it. CLERK_API_URL is the stand-in's URL. */
export function apiEnvironmentFor(config: EmulatorPublicConfig): Record<string, string> {
  return {
    CLERK_PUBLISHABLE_KEY: config.publishableKey,
    CLERK_SECRET_KEY: config.secretKey,
    CLERK_JWT_KEY: config.jwtPublicKeyPem,
    CLERK_WEBHOOK_SIGNING_SECRET: config.webhookSigningSecret,
  };
}
