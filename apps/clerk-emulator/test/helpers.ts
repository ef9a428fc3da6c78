import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMAIL_CODE, startClerkEmulator, type ClerkEmulatorOptions, type ClerkUserJson, type RunningClerkEmulator } from '../src/index';
import { OrganizationDirectory } from '../src/organization-directory';
import { WebhookOutbox } from '../src/outbox';
import { Sessions } from '../src/sessions';
import { openEmulatorStore } from '../src/store';
import { UserDirectory } from '../src/user-directory';
import { WebhookEventQueue } from '../src/webhook-events';

export function tempDir(prefix = 'clerk-emulator-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export const SPA_ORIGIN = 'http://localhost:5173';

export async function startTestEmulator(options: ClerkEmulatorOptions & { dataDir: string }): Promise<RunningClerkEmulator> {
  return startClerkEmulator({ host: '127.0.0.1', port: 0, allowedOrigins: [SPA_ORIGIN], ...options });
}

/**
 * The stand-in's users and organizations as it wires them, on a store in `dataDir`, with no HTTP
 * in between; `onEventQueued` is told of each committed change.
 */
export function openDirectories(dataDir: string, onEventQueued: () => void = () => {}) {
  const store = openEmulatorStore(dataDir);
  const outbox = new WebhookOutbox(store.db);
  const events = new WebhookEventQueue(outbox, 'ins_test');
  const organizations: OrganizationDirectory = new OrganizationDirectory({ db: store.db, events, users: { get: (id) => users.get(id) }, onEventQueued });
  const users: UserDirectory = new UserDirectory({
    db: store.db,
    events,
    sessions: new Sessions(store.db),
    publicUrl: 'http://localhost:3002',
    onEventQueued,
    onDeleting: (userId, now, context) => organizations.removeMembershipsOfUser(userId, now, context),
  });
  return { store, outbox, users, organizations };
}

/** A JSON call to the stand-in's admin API. */
export async function admin<T = unknown>(
  emulator: { url: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function createUser(
  emulator: { url: string },
  fields: { first_name: string | null; last_name: string | null; email_address: string; username?: string | null; image_url?: string | null },
): Promise<ClerkUserJson> {
  const { status, body } = await admin<ClerkUserJson>(emulator, 'POST', '/admin/users', fields);
  if (status !== 201) throw new Error(`creating a user answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

/** Polls until `check` returns a value other than undefined, or fails after the deadline. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function waitForNothingPending(emulator: RunningClerkEmulator, timeoutMs = 20_000): Promise<void> {
  await waitFor('every webhook to be delivered', () => (emulator.webhookStats().pending === 0 ? true : undefined), timeoutMs);
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** A webhook endpoint on loopback that records what it receives and answers with a chosen status. */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  respondWith(status: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(initialStatus = 200): Promise<WebhookReceiver> {
  let status = initialStatus;
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/clerk`,
    received,
    respondWith: (next) => {
      status = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface FapiError {
  code: string;
  long_message: string;
  meta: { param_name?: string };
}

/** A Frontend API answer: Clerk's `{ response, client }` envelope, or `{ errors }`. */
export interface Answer {
  status: number;
  body: {
    response?: Record<string, unknown> & { id?: string; status?: string; created_session_id?: string | null };
    client?: { sessions: Array<{ id: string; user: { id: string; first_name: string } }>; sign_in: unknown; sign_up: unknown } | null;
    errors?: FapiError[];
  } & Record<string, unknown>;
  headers: Headers;
}

/** Form fields as clerk-js posts them; an array is sent as a repeated key. */
export type FormBody = Record<string, string | string[]>;

/** One browser calling the Frontend API as clerk-js does: its dev browser token, forms, `_method`. */
export class FrontendApiBrowser {
  constructor(
    readonly emulator: { url: string },
    readonly devBrowser: string,
  ) {}

  async call(method: string, path: string, fields?: FormBody, origin = SPA_ORIGIN): Promise<Answer> {
    const url = new URL(`${this.emulator.url}/v1${path}`);
    url.searchParams.set('__clerk_api_version', '2026-08-20');
    url.searchParams.set('__clerk_db_jwt', this.devBrowser);
    if (method !== 'GET' && method !== 'POST') url.searchParams.set('_method', method);
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields ?? {})) for (const item of [value].flat()) body.append(name, item);
    const response = await fetch(url, {
      method: method === 'GET' ? 'GET' : 'POST',
      headers: { origin, ...(fields ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: fields ? body : undefined,
    });
    return { status: response.status, body: (await response.json()) as Answer['body'], headers: response.headers };
  }

  /** Signs up with the email code, as <SignUp/> does. */
  async signUp(email: string, firstName: string, lastName: string): Promise<{ userId: string; sessionId: string }> {
    const created = await this.call('POST', '/client/sign_ups', { email_address: email, first_name: firstName, last_name: lastName });
    if (created.status !== 200) throw new Error(`sign-up answered ${created.status}: ${JSON.stringify(created.body)}`);
    const id = created.body.response?.id ?? '';
    await this.call('POST', `/client/sign_ups/${id}/prepare_verification`, { strategy: 'email_code' });
    const done = await this.call('POST', `/client/sign_ups/${id}/attempt_verification`, { strategy: 'email_code', code: EMAIL_CODE });
    if (done.status !== 200) throw new Error(`verification answered ${done.status}: ${JSON.stringify(done.body)}`);
    return { userId: String(done.body.response?.created_user_id), sessionId: String(done.body.response?.created_session_id) };
  }
}

/** A new browser: `POST /v1/dev_browser`, as clerk-js makes one on first load. */
export async function openBrowser(emulator: { url: string }): Promise<FrontendApiBrowser> {
  const response = await fetch(`${emulator.url}/v1/dev_browser?__clerk_api_version=2026-08-20`, { method: 'POST' });
  const body = (await response.json()) as { object: string; id: string };
  if (body.object !== 'dev_browser' || response.headers.get('clerk-db-jwt') !== body.id) throw new Error(`no dev browser: ${JSON.stringify(body)}`);
  return new FrontendApiBrowser(emulator, body.id);
}
