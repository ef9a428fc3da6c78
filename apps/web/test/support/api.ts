import { appRouter, createCaller, type RouterLogger } from '@expectations/router';
import { createQueries } from '@expectations/db';
import {
  createTempDatabase,
  deleteMirroredUser,
  mirrorMembership,
  mirrorOrganization,
  mirrorUser,
  sqlRows,
  type TempDatabase,
  type TestUser,
} from '@expectations/db/testing';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';

export const TEST_API_URL = 'http://api.test';

const quietLog: RouterLogger = { error() {}, warn() {}, info() {} };

/** A team as tests make it: its Clerk organization id, and the name its switcher shows. */
export interface TestTeam {
  id: string;
  name: string;
}

/** The team every test user belongs to and, unless a test says otherwise, has active. */
export const TEST_TEAM: TestTeam = { id: 'org_2acmeTestTeamAAAAAAAAAAAAA', name: 'Acme' };
const TEAM = TEST_TEAM.id;

/**
 * The test's stand-in for a session token: the caller's Clerk user id, and their active team's
 * after a space (verifying real tokens is the API server's job, covered by its own tests).
 */
export function testSessionToken(clerkUserId: string, clerkOrganizationId: string | null): string {
  return clerkOrganizationId ? `${clerkUserId} ${clerkOrganizationId}` : clerkUserId;
}

function sessionOf(token: string | undefined) {
  if (!token) return null;
  const [clerkUserId, activeOrganizationId = null] = token.split(' ');
  return { clerkUserId: clerkUserId!, activeOrganizationId };
}

export interface RecordedCall {
  path: string;
  input: unknown;
}

/**
 * The real tRPC router on a real SQLite file, answered in-process through tRPC's fetch adapter.
 * The bearer token names the caller and their active team (testSessionToken). Every user is a
 * member of TEST_TEAM; tests may add teams and memberships.
 */
export class TestApi {
  /** Opened when the test api is made; every use waits for it. */
  private readonly database: Promise<TempDatabase> = createTempDatabase().then(async (db) => {
    await mirrorOrganization(db, { clerkId: TEAM, name: 'Acme' });
    return db;
  });
  /** Every procedure call the SPA made, in order, with the input it sent. */
  readonly calls: RecordedCall[] = [];
  /** While set, requests wait for it before being answered. */
  private hold: Promise<void> | null = null;
  private failuresLeft = 0;
  /** How the next failures fail: no answer at all, or this HTTP status from a proxy in front. */
  private failure: 'no-answer' | number = 'no-answer';

  readonly fetch: typeof fetch = async (resource, init) => {
    // jsdom's AbortSignal is not the one Node's Request accepts; nothing here needs it.
    const { signal: _signal, ...rest } = init ?? {};
    const request = new Request(resource instanceof URL || typeof resource === 'string' ? resource : resource.url, rest);
    await this.record(request.clone());
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      if (this.failure === 'no-answer') throw new TypeError('fetch failed');
      return new Response('<html><body>Service Unavailable</body></html>', { status: this.failure, headers: { 'content-type': 'text/html' } });
    }
    if (this.hold) await this.hold;
    const token = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
    const queries = createQueries(await this.database);
    return fetchRequestHandler({
      endpoint: '/trpc',
      req: request,
      router: appRouter,
      createContext: () => ({ queries, auth: sessionOf(token), log: quietLog }),
    });
  };

  private async record(request: Request): Promise<void> {
    const url = new URL(request.url);
    const paths = url.pathname.replace(/^\/trpc\//, '').split(',');
    const batchInput = request.method === 'GET' ? url.searchParams.get('input') : await request.text();
    const inputs = batchInput ? (JSON.parse(batchInput) as Record<string, unknown>) : {};
    paths.forEach((path, index) => this.calls.push({ path, input: inputs[index] }));
  }

  /**
   * The next `count` requests fail as if the network were down, or, given a status, as a proxy
   * in front of the API answers while the API is down (an HTML page, no tRPC body).
   */
  failNextRequests(count: number, how: 'no-answer' | number = 'no-answer'): void {
    this.failuresLeft = count;
    this.failure = how;
  }

  /** Holds every request until the returned function is called. */
  holdRequests(): () => void {
    let release!: () => void;
    this.hold = new Promise<void>((resolve) => {
      release = () => {
        this.hold = null;
        resolve();
      };
    });
    return release;
  }

  /** A user whose user.created and membership webhooks have landed. */
  async mirrorUser(user: TestUser = {}) {
    const db = await this.database;
    const mirrored = await mirrorUser(db, user);
    await mirrorMembership(db, { clerkOrganizationId: TEAM, clerkUserId: mirrored.clerkId });
    return mirrored;
  }

  /** A team whose organization.created webhook has landed. */
  async mirrorTeam(clerkId: string, name: string) {
    await mirrorOrganization(await this.database, { clerkId, name });
  }

  /** A membership whose organizationMembership.created webhook has landed. */
  async mirrorMembership(clerkOrganizationId: string, clerkUserId: string) {
    await mirrorMembership(await this.database, { clerkOrganizationId, clerkUserId });
  }

  async deleteUser(clerkId: string) {
    return deleteMirroredUser(await this.database, clerkId);
  }

  /** Rows of the mirror's users table, as stored. */
  async storedUsers() {
    return sqlRows(await this.database, 'SELECT * FROM users');
  }

  /** Calls procedures directly, as the given Clerk user, in the given team (none: personal). */
  as(clerkUserId: string, activeOrganizationId: string | null = TEAM) {
    return createCaller(async () => ({ queries: createQueries(await this.database), auth: { clerkUserId, activeOrganizationId }, log: quietLog }));
  }

  callsTo(path: string): RecordedCall[] {
    return this.calls.filter((call) => call.path === path);
  }

  async destroy(): Promise<void> {
    await (await this.database).destroy();
  }
}
