import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { loadConfig } from '@expectations/api/config';
import { startApi, type RunningApi } from '@expectations/api/server';
import { runMirrorAudit, type MirrorAuditRun } from '@expectations/api/testing';
import {
  apiEnvironmentFor,
  startClerkEmulator,
  type ClerkEmulatorOptions,
  type ClerkOrganizationJson,
  type ClerkOrganizationMembershipJson,
  type ClerkUserJson,
  type OrganizationRoleKey,
  type RunningClerkEmulator,
} from '@expectations/clerk-emulator';
import { openDatabase, type Database } from '@expectations/db';
import { createTempDatabaseUrl, type TempDatabaseUrl } from '@expectations/db/testing';

/** The drift of one mirrored kind in `mirror:audit --json`: Clerk ids. */
export interface KindJson {
  checked: number;
  missing: string[];
  stale: string[];
  ghosts: string[];
}

/** What `mirror:audit --json` prints: the users' drift at the top level, as before organizations were audited. */
export interface AuditJson extends KindJson {
  organizations: KindJson;
  memberships: KindJson;
}

/** The report of a mirror that matches Clerk, with this many of each checked. */
export function noDrift(checked: { users: number; organizations?: number; memberships?: number }): AuditJson {
  const clean = (count: number): KindJson => ({ checked: count, missing: [], stale: [], ghosts: [] });
  return { ...clean(checked.users), organizations: clean(checked.organizations ?? 0), memberships: clean(checked.memberships ?? 0) };
}

/**
 * The stand-in and the real API (in this process, real HTTP on 127.0.0.1, a real SQLite file or
 * PostgreSQL database, as the test project says), wired as for real Clerk, and the audit as its
 * own process. The API can be stopped and started again on the same database, as in an outage.
 */
export class Stack {
  api: RunningApi | undefined;

  private constructor(
    /** The stand-in's data, and room for the tests' own files. */
    readonly dir: string,
    readonly clerk: RunningClerkEmulator,
    readonly database: TempDatabaseUrl,
  ) {}

  static async start(options: Pick<ClerkEmulatorOptions, 'webhookMaxAttempts' | 'bapiRateLimit' | 'webhookUrl'> = {}): Promise<Stack> {
    const dir = mkdtempSync(join(tmpdir(), 'expectations-audit-'));
    const database = await createTempDatabaseUrl();
    const clerk = await startClerkEmulator({ dataDir: join(dir, 'clerk'), port: 0, webhookConcurrency: 8, ...options });
    return new Stack(dir, clerk, database);
  }

  /**
   * A stand-in whose `users` signed up before the webhook endpoint existed, so that Clerk never
   * sent them to it (played by giving their messages up against an address nothing listens
   * on), and the API started afterwards, on an empty mirror.
   */
  static async beforeTheEndpoint(users: number, options: Pick<ClerkEmulatorOptions, 'bapiRateLimit'>): Promise<Stack> {
    const stack = await Stack.start({ ...options, webhookMaxAttempts: 1, webhookUrl: `http://127.0.0.1:${await closedPort()}/api/webhooks/clerk` });
    const queue = Array.from({ length: users }, (_, n) => n);
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let n = queue.shift(); n !== undefined; n = queue.shift()) await stack.createUser(n, 'early');
      }),
    );
    await stack.until('every message to be given up', () => stack.clerk.webhookStats().given_up === users, 300_000);
    await stack.startApi();
    return stack;
  }

  /**
   * Starts the API on the stack's database and points the stand-in's webhook at it. `overrides`
   * change its environment (an empty value unsets a variable).
   */
  async startApi(overrides: Record<string, string> = {}): Promise<void> {
    const config = loadConfig({
      ...apiEnvironmentFor(this.clerk.config),
      CLERK_API_URL: this.clerk.url,
      DATABASE_URL: this.database.url,
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      ...overrides,
    });
    this.api = await startApi(config, pino({ level: 'silent' }));
    this.clerk.setWebhookUrl(`${this.api.url}/api/webhooks/clerk`);
  }

  /** The API goes down: its port closes, so every delivery attempt fails. */
  async stopApi(): Promise<void> {
    await this.api?.close();
    this.api = undefined;
  }

  auditEnv(overrides: Record<string, string> = {}): Record<string, string> {
    return { DATABASE_URL: this.database.url, CLERK_SECRET_KEY: this.clerk.config.secretKey, CLERK_API_URL: this.clerk.url, ...overrides };
  }

  audit(args: string[] = [], overrides: Record<string, string> = {}, timeoutMs?: number): Promise<MirrorAuditRun> {
    return runMirrorAudit(this.auditEnv(overrides), args, timeoutMs);
  }

  async auditJson(args: string[] = [], timeoutMs?: number): Promise<{ code: number | null; report: AuditJson; stderr: string }> {
    const run = await this.audit(['--json', ...args], {}, timeoutMs);
    let report: AuditJson;
    try {
      report = JSON.parse(run.stdout) as AuditJson;
    } catch {
      throw new Error(`the audit printed no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    }
    return { code: run.code, report, stderr: run.stderr };
  }

  /**
   * Takes the Backend API's whole allowance at the start of every window until `stop` aborts, so
   * that a run going on meanwhile meets 429s however fast or slow this machine is. It waits out
   * each 429's Retry-After instead of spinning.
   */
  async saturateBackendApi(stop: AbortSignal): Promise<void> {
    const headers = { authorization: `Bearer ${this.clerk.config.secretKey}` };
    while (!stop.aborted) {
      let retryAfterMs: number | undefined;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (retryAfterMs === undefined && !stop.aborted) {
            const response = await fetch(`${this.clerk.url}/v1/users?limit=1`, { headers }).catch(() => undefined);
            await response?.arrayBuffer();
            if (response?.status === 429) retryAfterMs = Number(response.headers.get('retry-after') ?? '1') * 1000;
          }
        }),
      );
      await sleep(retryAfterMs ?? 0, undefined, { signal: stop }).catch(() => undefined);
    }
  }

  async admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetchRetryingReads(`${this.clerk.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  async createUser(n: number, prefix = 'user'): Promise<ClerkUserJson> {
    const email = `${prefix}${n}@example.org`;
    try {
      return await this.admin<ClerkUserJson>('POST', '/admin/users', { first_name: `First${n}`, last_name: `Last${n}`, email_address: email });
    } catch (error) {
      // No answer (a busy machine resets a kept-alive connection now and then): the user may or
      // may not exist. Look before creating it again, so that a retry never makes two.
      if (!(error instanceof TypeError)) throw error;
      const { data } = await this.admin<{ data: ClerkUserJson[] }>('GET', '/admin/users');
      return data.find((user) => user.email_addresses[0]?.email_address === email) ?? this.createUser(n, prefix);
    }
  }

  /** An organization whose creator becomes its first admin (a membership and its webhook too). */
  async createOrganization(name: string, createdBy: string): Promise<ClerkOrganizationJson> {
    return this.admin<ClerkOrganizationJson>('POST', '/admin/organizations', { name, created_by: createdBy });
  }

  async membership(organizationId: string, userId: string): Promise<ClerkOrganizationMembershipJson> {
    const { data } = await this.admin<{ data: ClerkOrganizationMembershipJson[] }>('GET', `/admin/organizations/${organizationId}/memberships`);
    const membership = data.find((candidate) => candidate.public_user_data.user_id === userId);
    if (!membership) throw new Error(`${userId} is no member of ${organizationId}`);
    return membership;
  }

  async addMember(organizationId: string, userId: string, role: OrganizationRoleKey = 'org:member'): Promise<ClerkOrganizationMembershipJson> {
    return this.admin<ClerkOrganizationMembershipJson>('POST', `/admin/organizations/${organizationId}/memberships`, { user_id: userId, role });
  }

  /** Polls until `check` holds, or fails after `timeoutMs`. */
  async until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(this.clerk.webhookStats())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** A separate read connection to the API's database, for the test's own checks. */
  async readMirror<T>(read: (db: Database) => Promise<T>): Promise<T> {
    const db = await openDatabase(this.database.url, { migrate: false });
    try {
      return await read(db);
    } finally {
      await db.close();
    }
  }

  async stop(): Promise<void> {
    await this.stopApi();
    await this.clerk.close();
    await this.database.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** fetch, asking again (up to three times) when a GET got no answer at all. */
async function fetchRetryingReads(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if ((init.method ?? 'GET') !== 'GET' || attempt === 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/** A loopback port that nothing listens on: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
