import { pino } from 'pino';
import { createTempDatabaseUrl, mirrorMembership, mirrorOrganization, mirrorUser, type TestUser } from '@expectations/db/testing';
import { startApi, type RunningApi } from '../../src/server';
import { createSigningKey, mintSessionToken, type MintOptions, type SessionClaims, type SigningKey } from '../../testing/session-tokens';
import { testConfig } from '../../testing/test-config';
import { newSigningSecret } from '../../testing/webhook-signing';

export const WEB_ORIGIN = 'http://127.0.0.1:5173';

export interface LogEntry {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface TrpcHttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface CallOptions {
  method?: 'GET' | 'POST';
  input?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

/** Clerk's v2 claims of a session with `clerkOrganizationId` active (role and slug are not read by the API). */
export function activeTeamClaims(clerkOrganizationId: string) {
  return { v: 2, sts: 'active', o: { id: clerkOrganizationId, rol: 'member', slg: 'team' } };
}

/**
 * The real API (startApi on 127.0.0.1, port 0) with a database of its own, verifying session
 * tokens signed by a key this test owns, and capturing its log lines. Members belong to one team,
 * active in their tokens, unless told otherwise.
 */
export async function startTrpcApi(env: Record<string, string> = {}) {
  const database = await createTempDatabaseUrl();
  const key: SigningKey = createSigningKey();
  const logs: LogEntry[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogEntry) });
  const signingSecret = newSigningSecret();
  const config = testConfig({
    DATABASE_URL: database.url,
    CLERK_JWT_KEY: key.publicKeyPem,
    CLERK_WEBHOOK_SIGNING_SECRET: signingSecret,
    WEB_ORIGIN,
    ...env,
  });
  let api: RunningApi = await startApi(config, log);
  // Mirrored with the first member, so that a test of a fresh API (its metrics) finds no event applied.
  const team = { clerkId: 'org_2acmeTestTeamAAAAAAAAAAAAA' };
  let teamMirrored: Promise<unknown> | undefined;

  return {
    get api() {
      return api;
    },
    key,
    logs,
    team,
    /** The webhook endpoint's `whsec_` secret, to sign deliveries with (signDelivery). */
    signingSecret,
    /** The DATABASE_URL the API runs on. */
    databaseUrl: database.url,
    /**
     * Stops the API as a deploy would, runs `whileDown` (no API is listening then), and starts it
     * again on the same port and database.
     */
    async restart(whileDown: () => Promise<void> = async () => {}) {
      const { port } = new URL(api.url);
      await api.close();
      await whileDown();
      api = await startApi({ ...config, PORT: Number(port) }, log);
    },
    /**
     * A user whose webhooks have landed, as a member of `options.team` (the default team unless
     * given; null for none), and a valid session token for them with that team active.
     */
    async member(user: TestUser = {}, options: { team?: string | null; role?: string } = {}) {
      const row = await mirrorUser(api.db, user);
      await (teamMirrored ??= mirrorOrganization(api.db, { clerkId: team.clerkId, name: 'Acme' }));
      const inTeam = options.team === undefined ? team.clerkId : options.team;
      if (inTeam !== null) await mirrorMembership(api.db, { clerkOrganizationId: inTeam, clerkUserId: row.clerkId, role: options.role ?? 'org:member' });
      const claims = inTeam === null ? {} : activeTeamClaims(inTeam);
      return { ...row, token: mintSessionToken(key, { sub: row.clerkId, azp: WEB_ORIGIN, ...claims }) };
    },
    token(claims: SessionClaims, options?: MintOptions) {
      return mintSessionToken(key, { azp: WEB_ORIGIN, ...claims }, options);
    },
    /** Calls `/trpc/<path>`: GET with `?input=`, POST with a JSON body, no redirects followed. */
    async call(path: string, options: CallOptions = {}): Promise<TrpcHttpResponse> {
      const method = options.method ?? 'GET';
      const url = new URL(`${api.url}/trpc/${path}`);
      if (method === 'GET' && options.input !== undefined) url.searchParams.set('input', JSON.stringify(options.input));
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (method === 'POST') headers['content-type'] ??= 'application/json';
      const response = await fetch(url, {
        method,
        headers,
        body: method === 'POST' ? JSON.stringify(options.input) : undefined,
        redirect: 'manual',
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    async stop() {
      await api.close();
      await database.destroy();
    },
  };
}

export type TrpcApi = Awaited<ReturnType<typeof startTrpcApi>>;

/** `error.data.code` of a tRPC error body (undefined for a success). */
export function errorCodeOf(body: unknown): string | undefined {
  return (body as { error?: { data?: { code?: string } } } | undefined)?.error?.data?.code;
}

/** `result.data` of a tRPC success body. */
export function dataOf<T = unknown>(body: unknown): T {
  const data = (body as { result?: { data?: T } } | undefined)?.result?.data;
  if (data === undefined) throw new Error(`not a tRPC success body: ${JSON.stringify(body)}`);
  return data;
}
