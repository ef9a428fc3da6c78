import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  apiEnvironmentFor,
  startClerkEmulator,
  type ClerkOrganizationJson,
  type ClerkOrganizationMembershipJson,
  type ClerkUserJson,
  type RunningClerkEmulator,
} from '@expectations/clerk-emulator';
import { openDatabase, parseDatabaseUrl, type Database } from '@expectations/db';
import { sqlRows } from '@expectations/db/testing';
import { AnswerTally, describeError, type Channel, type ChannelFigures } from './answer-tally';
import { ApiSupervisor } from './api-supervisor';
import { ChangeStream, type UserChange } from './change-stream';
import { findFreePort } from './free-port';
import {
  compareMembershipMirror,
  compareOrganizationMirror,
  compareUserMirror,
  divergencesOf,
  MEMBERSHIP_ROW_QUERY,
  ORGANIZATION_ROW_QUERY,
  USER_ROW_QUERY,
  type MembershipMirrorRow,
  type MirrorComparison,
  type OrganizationMirrorRow,
  type UserMirrorRow,
} from './mirror-comparison';
import { seededRandom } from './random';
import { TeamChangeStream, type RefusedTeamChange, type TeamChange } from './team-change-stream';
import { webhookLogCounter, type WebhookFigures } from './webhook-log';

export const SPA_ORIGIN = 'http://localhost:5173';
/** Session tokens live 60 s; mint a new one well before. */
const TOKEN_REFRESH_MS = 20_000;
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * The share of the stream that changes teams and memberships rather than users: the total stays
 * `changes`, so a run drives as many changes (and about as many webhooks) as a users-only one did.
 */
const TEAM_CHANGE_SHARE = 0.4;

export interface ChaosOptions {
  /**
   * Changes driven through the stand-in's admin API: users created, updated and deleted; teams
   * created, renamed and deleted; members added, their roles changed, members removed (the kept
   * users' and the kept team's set-up included).
   */
  changes: number;
  /**
   * The API's database (default: a SQLite file in the work folder). With PostgreSQL, several
   * replicas may share it.
   */
  databaseUrl?: string;
  /**
   * API processes on the one database (default 1; more need PostgreSQL). The stand-in delivers
   * webhooks to them round-robin, and readers and writers are spread over them.
   */
  replicas?: number;
  /**
   * SIGKILLs of the API during the stream, each followed by a restart on the same port and
   * database. With several replicas the first one is the victim every time: the others stay up.
   */
  kills: number;
  /** Loops calling expectations.list back to back, each by turns personal and in the kept team. */
  readers: number;
  /** Expectations created through the API during the stream: every other one in the kept team, the others personal. */
  expectations: number;
  /** Seeds the change stream and the stand-in's fault decisions. */
  seed: number;
  /** `WEBHOOK_FAULTS` without the seed, e.g. `duplicate=0.25,drop=0.25,reorder=0.25,delay_ms=50`. */
  faults: string;
  /** Pause between two changes. */
  changeIntervalMs: number;
  /** How long, after the stream, the stand-in may take to deliver everything. */
  convergenceTimeoutMs: number;
  /** Where the data goes (default: a new temporary folder, removed afterwards). */
  workDir?: string;
  /**
   * The API's production build (`buildApp`'s `main`) to run, as operators do; default: its
   * TypeScript source. Every kill is followed by a start, and on a busy machine starting from
   * source costs seconds each time.
   */
  apiMain?: string;
  /** Progress lines (kills, restarts, convergence); default: none. */
  progress?: (line: string) => void;
}

export interface ChaosReport {
  options: Omit<ChaosOptions, 'progress'>;
  /** sqlite or postgres, and how many API processes shared it. */
  engine: string;
  replicas: number;
  elapsedMs: number;
  changes: ChangeCounts;
  kills: number;
  apiStarts: number;
  webhooks: WebhookFigures & {
    /** Messages the stand-in had still not delivered when the run ended (must be 0). */
    pendingAtEnd: number;
    /** Messages in the stand-in's outbox, all delivered at the end. */
    messages: number;
    /** Deliveries the API recognised as repeats of a message it had already applied. */
    redeliveriesRecognised: number;
    /** Rows in the API's webhook_events: one per message id applied. */
    eventsRecorded: number;
  };
  answers: Record<Channel, ChannelFigures>;
  /** 5xx answers seen anywhere: readers, writers, the stand-in's admin API and the webhook route. */
  serverErrors: number;
  mirror: MirrorComparison;
  expectations: {
    acknowledged: number;
    /** Of those, created in the kept team. */
    inTeam: number;
    missingAfterAcknowledgement: number;
    /** The last personal page and the last team page together. */
    lastPageItems: number;
    lastPageWithAssignee: number;
  };
  /** Every reason the run failed; empty when the mirror converged and nothing answered 5xx. */
  problems: string[];
}

export interface ChangeCounts {
  /** Every change driven through the stand-in, the refused ones included. */
  total: number;
  users: { creates: number; updates: number; deletes: number };
  teams: { creates: number; renames: number; deletes: number };
  /**
   * `rejoins`: adds of a user who had been a member of the team before (included in `adds`).
   * `endedWithUser`: memberships the stand-in removed because their user was deleted (not changes of their own).
   */
  memberships: { adds: number; rejoins: number; roleChanges: number; removals: number; endedWithUser: number };
  /** Changes the stand-in refused on purpose: a team's only admin demoted or removed (403, no webhook). */
  refused: number;
  /**
   * The webhook messages the accepted changes must have sent: one each, two for a team created
   * (`organization.created` and its creator's `organizationMembership.created`), and for a user
   * deleted one more per membership they still had (`organizationMembership.deleted`).
   */
  webhookMessages: number;
}

interface CallResult {
  status: number;
  body: unknown;
}

/** One API process on its own port, and its supervisor (which kills and restarts it). */
interface Replica {
  name: string;
  url: string;
  api: ApiSupervisor;
}

/**
 * The chaos convergence scenario: the Clerk stand-in, with webhook faults, feeds the real API
 * (one or several child processes on one database) while a stream of user changes runs, an API
 * process is SIGKILLed and restarted mid-stream, and readers hammer expectations.list on every
 * replica. Afterwards the mirror must equal Clerk's users field by field, with nothing pending,
 * no acknowledged write lost and no 5xx answer anywhere.
 */
export async function runChaosScenario(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  // Each line carries the time since the start, so that a run stopped by its caller's timeout
  // still shows which phase took the time.
  const emit = options.progress ?? (() => {});
  const progress = (line: string) => emit(`${((Date.now() - started) / 1000).toFixed(1)} s: ${line}`);
  const ownDir = options.workDir === undefined;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'chaos-'));
  const tally = new AnswerTally();
  const problems: string[] = [];
  const webhookLog = webhookLogCounter();
  let emulator: RunningClerkEmulator | undefined;
  const replicas: Replica[] = [];
  let mirrorDb: Database | undefined;

  try {
    emulator = await startClerkEmulator({
      dataDir: join(workDir, 'clerk'),
      host: '127.0.0.1',
      port: 0,
      allowedOrigins: [SPA_ORIGIN],
      webhookFaults: `${options.faults},seed=${options.seed}`,
      // A delivery that a kill leaves hanging is retried soon rather than after 5 s.
      webhookAttemptTimeoutMs: 2000,
      logger: webhookLog.logger,
    });
    const clerk = emulator;
    const databaseUrl = options.databaseUrl ?? `file:${join(workDir, 'api.db')}`;
    const engine = parseDatabaseUrl(databaseUrl).dialect;
    const replicaCount = options.replicas ?? 1;
    if (replicaCount > 1 && engine === 'sqlite') throw new Error('several API replicas need PostgreSQL: SQLite serves one API process');
    for (let index = 0; index < replicaCount; index += 1) {
      const port = await findFreePort();
      const api = new ApiSupervisor({
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        WEB_ORIGIN: SPA_ORIGIN,
        ...apiEnvironmentFor(clerk.config),
      }, options.apiMain === undefined ? {} : { main: options.apiMain });
      replicas.push({ name: `replica ${index + 1}`, url: `http://127.0.0.1:${port}`, api });
    }
    // Replicas starting together: their migrations must not race (an advisory lock on PostgreSQL).
    await Promise.all(replicas.map((replica) => replica.api.start()));
    const [victim] = replicas as [Replica, ...Replica[]];
    clerk.setWebhookUrl(replicas.map((replica) => `${replica.url}/api/webhooks/clerk`).join(','));
    // The test's own read-only look at the mirror (on SQLite, WAL lets it read while the API writes).
    mirrorDb = await openDatabase(databaseUrl, { migrate: false });
    const db = mirrorDb;
    progress(`stand-in at ${clerk.url}, ${replicaCount} API process(es) at ${replicas.map((replica) => replica.url).join(', ')} on ${engine}, data in ${workDir}`);

    // --- HTTP with every answer counted ------------------------------------------------------
    async function standIn<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
      try {
        const response = await fetch(`${clerk.url}${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        tally.answered('standInAdmin', response.status, `stand-in ${method} ${path}`, text);
        return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
      } catch (error) {
        tally.noAnswer('standInAdmin', false, `stand-in ${method} ${path}`, error);
        throw new Error(`the stand-in did not answer ${method} ${path}: ${describeError(error)}`);
      }
    }

    /** A call to one replica; null when it got no answer (that replica down or killed meanwhile). */
    async function callApi(replica: Replica, channel: Channel, path: string, token: string, body?: unknown): Promise<CallResult | null> {
      const { api } = replica;
      const epoch = api.epoch;
      const wasUp = api.up;
      const what = `${body === undefined ? 'GET' : 'POST'} ${path.split('?')[0]} on ${replica.name}`;
      try {
        const response = await fetch(`${replica.url}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            origin: SPA_ORIGIN,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        tally.answered(channel, response.status, what, text);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          problems.push(`${what} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
        }
        return { status: response.status, body: parsed };
      } catch (error) {
        const sameProcessThroughout = wasUp && api.up && api.epoch === epoch;
        tally.noAnswer(channel, !sameProcessThroughout, what, error);
        return null;
      }
    }

    const tokens = new Map<string, { jwt: string; mintedAt: number }>();
    /** A session token of the user: with `organizationId`, that team active; without, none. */
    async function sessionToken(userId: string, organizationId?: string): Promise<string> {
      const key = `${userId} ${organizationId ?? ''}`;
      const cached = tokens.get(key);
      if (cached && Date.now() - cached.mintedAt < TOKEN_REFRESH_MS) return cached.jwt;
      const answer = await standIn<{ jwt: string }>('POST', '/admin/sessions', {
        user_id: userId,
        azp: SPA_ORIGIN,
        ...(organizationId === undefined ? {} : { org_id: organizationId }),
      });
      if (answer.status !== 200) throw new Error(`the stand-in refused a session for ${userId}: ${JSON.stringify(answer.body)}`);
      tokens.set(key, { jwt: answer.body.jwt, mintedAt: Date.now() });
      return answer.body.jwt;
    }

    const isMirrored = async (clerkId: string) =>
      (await sqlRows(db, 'SELECT id FROM users WHERE clerk_id = ? AND deleted_at IS NULL', [clerkId])).length > 0;
    const activeMirrorIds = () => sqlRows<{ id: number }>(db, 'SELECT id FROM users WHERE deleted_at IS NULL ORDER BY id');
    /** Whether the mirror holds the team live with each of these users a live member. */
    const isTeamMirrored = async (organizationId: string, userIds: readonly string[]) => {
      const team = await sqlRows(db, 'SELECT id FROM organizations WHERE clerk_id = ? AND deleted_at IS NULL', [organizationId]);
      const members = await sqlRows<{ clerk_user_id: string }>(
        db,
        'SELECT clerk_user_id FROM organization_memberships WHERE clerk_organization_id = ? AND deleted_at IS NULL',
        [organizationId],
      );
      const live = new Set(members.map((member) => member.clerk_user_id));
      return team.length > 0 && userIds.every((userId) => live.has(userId));
    };

    // --- the change stream -------------------------------------------------------------------
    const keptUsers = Math.max(2, options.readers);
    const stream = new ChangeStream(seededRandom(options.seed), keptUsers);
    const teams = new TeamChangeStream(seededRandom(options.seed ^ 0x7ea3), stream);
    const mixRandom = seededRandom(options.seed ^ 0x3141);
    const counts: ChangeCounts = {
      total: 0,
      users: { creates: 0, updates: 0, deletes: 0 },
      teams: { creates: 0, renames: 0, deletes: 0 },
      memberships: { adds: 0, rejoins: 0, roleChanges: 0, removals: 0, endedWithUser: 0 },
      refused: 0,
      webhookMessages: 0,
    };
    /** What each deleted team had as memberships, listed just before its deletion. */
    const membershipsOfDeletedTeams: ClerkOrganizationMembershipJson[] = [];

    /** A call to the stand-in's admin API that must be answered `status`: any other answer stops the run. */
    async function expectAnswer<T>(status: number, method: string, path: string, body?: unknown): Promise<T> {
      const answer = await standIn<T>(method, path, body);
      if (answer.status !== status) {
        throw new Error(`the stand-in answered ${method} ${path} with ${answer.status} instead of ${status}: ${JSON.stringify(answer.body)}`);
      }
      return answer.body;
    }

    async function applyUserChange(change: UserChange): Promise<void> {
      if (change.kind === 'create') {
        const user = await expectAnswer<ClerkUserJson>(201, 'POST', '/admin/users', change.fields);
        stream.accepted(change, user.id);
        counts.users.creates += 1;
        counts.webhookMessages += 1;
      } else if (change.kind === 'update') {
        await expectAnswer(200, 'PATCH', `/admin/users/${change.userId}`, change.fields);
        stream.accepted(change);
        counts.users.updates += 1;
        counts.webhookMessages += 1;
      } else {
        await expectAnswer(200, 'DELETE', `/admin/users/${change.userId}`);
        stream.accepted(change);
        counts.users.deletes += 1;
        const endedMemberships = teams.userDeleted(change.userId);
        counts.memberships.endedWithUser += endedMemberships;
        counts.webhookMessages += 1 + endedMemberships;
      }
    }

    async function applyTeamChange(change: TeamChange | RefusedTeamChange): Promise<void> {
      const teamPath = (organizationId: string) => `/admin/organizations/${organizationId}`;
      const memberPath = (organizationId: string, userId: string) => `${teamPath(organizationId)}/memberships/${userId}`;
      if ('refusal' in change) {
        const path = memberPath(change.organizationId, change.userId);
        const refused =
          change.kind === 'setRole'
            ? await expectAnswer<{ error: string }>(403, 'PATCH', path, { role: change.role })
            : await expectAnswer<{ error: string }>(403, 'DELETE', path);
        if (refused.error !== 'organization_minimum_permissions_needed') {
          throw new Error(`the stand-in refused ${change.kind} of a team's only admin for another reason: ${JSON.stringify(refused)}`);
        }
        counts.refused += 1;
        return;
      }
      switch (change.kind) {
        case 'createTeam': {
          const team = await expectAnswer<ClerkOrganizationJson>(201, 'POST', '/admin/organizations', change.fields);
          const { data: members } = await expectAnswer<{ data: ClerkOrganizationMembershipJson[] }>(200, 'GET', `${teamPath(team.id)}/memberships`);
          const creator = members.find((membership) => membership.public_user_data.user_id === change.fields.created_by);
          if (!creator || creator.role !== 'org:admin') throw new Error(`the stand-in did not make the creator of ${team.id} its admin: ${JSON.stringify(members)}`);
          teams.accepted(change, { organizationId: team.id, membershipId: creator.id });
          counts.teams.creates += 1;
          counts.webhookMessages += 2;
          return;
        }
        case 'renameTeam':
          await expectAnswer(200, 'PATCH', teamPath(change.organizationId), change.fields);
          counts.teams.renames += 1;
          break;
        case 'deleteTeam': {
          // Clerk sends no event for a deleted team's memberships: their rows must keep this state.
          const { data: members } = await expectAnswer<{ data: ClerkOrganizationMembershipJson[] }>(200, 'GET', `${teamPath(change.organizationId)}/memberships`);
          await expectAnswer(200, 'DELETE', teamPath(change.organizationId));
          membershipsOfDeletedTeams.push(...members);
          counts.teams.deletes += 1;
          break;
        }
        case 'addMember': {
          const membership = await expectAnswer<ClerkOrganizationMembershipJson>(201, 'POST', `${teamPath(change.organizationId)}/memberships`, {
            user_id: change.userId,
            role: change.role,
          });
          teams.accepted(change, { membershipId: membership.id });
          counts.memberships.adds += 1;
          if (change.rejoin) counts.memberships.rejoins += 1;
          counts.webhookMessages += 1;
          return;
        }
        case 'setRole':
          await expectAnswer(200, 'PATCH', memberPath(change.organizationId, change.userId), { role: change.role });
          counts.memberships.roleChanges += 1;
          break;
        case 'removeMember':
          await expectAnswer(200, 'DELETE', memberPath(change.organizationId, change.userId));
          counts.memberships.removals += 1;
          break;
      }
      teams.accepted(change);
      counts.webhookMessages += 1;
    }

    async function applyChange(change: UserChange | TeamChange | RefusedTeamChange): Promise<void> {
      if (change.kind === 'create' || change.kind === 'update' || change.kind === 'delete') await applyUserChange(change);
      else await applyTeamChange(change);
      counts.total += 1;
    }

    async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) {
          problems.push(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
          return false;
        }
        await sleep(50);
      }
      return true;
    }

    // The kept users and their team first: readers and authors sign in as them once their mirror
    // rows exist.
    while (counts.users.creates < keptUsers) await applyChange(stream.next());
    const kept = stream.keptUserIds();
    while (!teams.keptTeamReady()) await applyChange(teams.next());
    const keptTeam = teams.keptTeamId()!;
    await waitUntil('the kept users to reach the mirror', async () => (await Promise.all(kept.map(isMirrored))).every(Boolean), 30_000);
    await waitUntil('the kept team and its members to reach the mirror', () => isTeamMirrored(keptTeam, kept), 30_000);
    progress(`the ${kept.length} kept users and their team ${keptTeam} are in the mirror; the stream starts`);

    // --- readers -------------------------------------------------------------------------------
    let reading = true;
    const listInputs = [{}, { limit: 5 }, { limit: 50, status: 'open' }, { limit: 10 }];
    async function readerLoop(index: number): Promise<void> {
      const userId = kept[index % kept.length]!;
      const replica = replicas[index % replicas.length]!;
      for (let round = 0; reading; round += 1) {
        const input = listInputs[round % listInputs.length];
        // Every other read in the kept team, whose membership the team changes around it never touch.
        const token = await sessionToken(userId, round % 2 === 1 ? keptTeam : undefined);
        const answer = await callApi(replica, 'reads', `/trpc/expectations.list?input=${encodeURIComponent(JSON.stringify(input))}`, token);
        if (answer === null) {
          await sleep(25); // the API is down: do not spin on refused connections
          continue;
        }
        if (answer.status === 200 && !isListPage(answer.body)) {
          problems.push(`expectations.list answered 200 with an unexpected body: ${JSON.stringify(answer.body).slice(0, 200)}`);
        } else if (answer.status !== 200) {
          // A valid token of a user with a mirror row (and a live membership): any refusal is wrong, not just a 5xx.
          problems.push(`expectations.list answered ${answer.status} to a signed-in reader: ${JSON.stringify(answer.body).slice(0, 200)}`);
        }
      }
    }
    const readers = Array.from({ length: Math.max(options.readers, replicas.length) }, (_, index) =>
      readerLoop(index).catch((error: unknown) => {
        problems.push(`reader ${index} stopped: ${describeError(error)}`);
      }),
    );

    // --- expectations created through the API -------------------------------------------------
    const expectationRandom = seededRandom(options.seed ^ 0x5eed);
    const acknowledged: number[] = [];
    let acknowledgedInTeam = 0;
    let wantedExpectations = 0;
    let createAttempts = 0;
    // A team expectation's assignee must be a member: the kept users are the kept team's for good.
    const keptMirrorIds = await sqlRows<{ id: number }>(db, `SELECT id FROM users WHERE clerk_id IN (${kept.map(() => '?').join(',')})`, kept);
    async function createPendingExpectation(): Promise<void> {
      if (acknowledged.length >= wantedExpectations) return;
      createAttempts += 1;
      const author = kept[createAttempts % kept.length]!;
      const inTeam = createAttempts % 2 === 0;
      // Personal ones go to anyone, some of whom are deleted later.
      const candidates = inTeam ? keptMirrorIds : await activeMirrorIds();
      const assignee = candidates.length > 0 ? expectationRandom.pick(candidates).id : null;
      const token = await sessionToken(author, inTeam ? keptTeam : undefined);
      const answer = await callApi(replicas[createAttempts % replicas.length]!, 'apiWrites', '/trpc/expectations.create', token, {
        title: `Chaos expectation ${createAttempts}`,
        details: expectationRandom.chance(0.5) ? 'Created while the API was being killed and restarted.' : undefined,
        assigneeId: assignee,
        dueOn: expectationRandom.chance(0.5) ? '2031-02-28' : undefined,
      });
      if (answer?.status === 200) {
        const id = (answer.body as { result?: { data?: { id?: unknown } } }).result?.data?.id;
        if (typeof id === 'number') {
          acknowledged.push(id);
          if (inTeam) acknowledgedInTeam += 1;
        } else problems.push(`expectations.create answered 200 without an id: ${JSON.stringify(answer.body).slice(0, 200)}`);
      }
      // 4xx (the assignee deleted meanwhile, the rate limit) and no answer: try again later.
    }

    // --- the stream, with kills ----------------------------------------------------------------
    const killAt = new Set(Array.from({ length: options.kills }, (_, k) => Math.round(((k + 1) * options.changes) / (options.kills + 1))));
    const createEvery = Math.max(1, Math.floor(options.changes / Math.max(1, options.expectations)));
    let restarting: Promise<unknown> = Promise.resolve();
    for (let index = counts.total; index < options.changes; index += 1) {
      if (killAt.has(index)) {
        await restarting;
        // Let the process do real work before it dies: at least one webhook applied, or 2 s.
        const current = victim.api.process;
        const deadline = Date.now() + 2000;
        while (current && current.appliedWebhooks() === 0 && Date.now() < deadline) await sleep(20);
        await victim.api.kill();
        progress(`kill ${victim.api.kills}/${options.kills} of ${victim.name} at change ${index}/${options.changes}; restarting it at ${victim.url}`);
        const restartStarted = Date.now();
        restarting = victim.api.start().then(() => progress(`${victim.name} up again after ${Date.now() - restartStarted} ms`));
      }
      await applyChange(mixRandom.chance(TEAM_CHANGE_SHARE) ? teams.next() : stream.next());
      if (index % createEvery === 0 && wantedExpectations < options.expectations) wantedExpectations += 1;
      if (acknowledged.length < wantedExpectations) await createPendingExpectation();
      if (options.changeIntervalMs > 0) await sleep(options.changeIntervalMs);
    }
    await restarting;
    progress(`stream done: ${counts.total} changes, ${victim.api.kills} kills; waiting for the webhooks to converge`);

    // --- convergence ---------------------------------------------------------------------------
    wantedExpectations = options.expectations;
    const createDeadline = Date.now() + 30_000;
    while (acknowledged.length < wantedExpectations && Date.now() < createDeadline) {
      await createPendingExpectation();
      await sleep(10);
    }
    if (acknowledged.length < wantedExpectations) problems.push(`only ${acknowledged.length} of ${wantedExpectations} expectations were created`);
    progress(`${acknowledged.length} expectations acknowledged; ${clerk.webhookStats().pending} webhook messages pending`);
    await waitUntil('the stand-in to deliver every webhook', () => clerk.webhookStats().pending === 0, options.convergenceTimeoutMs);
    progress(`done waiting for the webhooks: ${clerk.webhookStats().pending} pending`);
    reading = false;
    await Promise.all(readers);

    // One last page of each scope as a reader sees it: the created expectations with both joins.
    const lastItems: ListPage['result']['data']['items'] = [];
    for (const organizationId of [undefined, keptTeam]) {
      const token = await sessionToken(kept[0]!, organizationId);
      const lastPage = await callApi(replicas.at(-1)!, 'reads', `/trpc/expectations.list?input=${encodeURIComponent(JSON.stringify({ limit: 100 }))}`, token);
      if (lastPage && isListPage(lastPage.body)) lastItems.push(...lastPage.body.result.data.items);
    }
    // Stop with a last SIGKILL: what is compared below is what reached the disk.
    for (const replica of replicas) await replica.api.kill({ counted: false });

    // --- the checks --------------------------------------------------------------------------
    const stats = clerk.webhookStats();
    const liveUsers = (await expectAnswer<{ data: ClerkUserJson[] }>(200, 'GET', '/admin/users')).data;
    const liveTeams = (await expectAnswer<{ data: ClerkOrganizationJson[] }>(200, 'GET', '/admin/organizations')).data;
    const liveMemberships: ClerkOrganizationMembershipJson[] = [];
    for (const team of liveTeams) {
      liveMemberships.push(...(await expectAnswer<{ data: ClerkOrganizationMembershipJson[] }>(200, 'GET', `/admin/organizations/${team.id}/memberships`)).data);
    }
    const mirror: MirrorComparison = {
      users: compareUserMirror(await sqlRows<UserMirrorRow>(db, USER_ROW_QUERY), liveUsers, stream.deletedUserIds()),
      organizations: compareOrganizationMirror(await sqlRows<OrganizationMirrorRow>(db, ORGANIZATION_ROW_QUERY), liveTeams, teams.deletedTeamIds()),
      memberships: compareMembershipMirror(await sqlRows<MembershipMirrorRow>(db, MEMBERSHIP_ROW_QUERY), {
        live: liveMemberships,
        ofDeletedOrganizations: membershipsOfDeletedTeams,
        pairs: teams.membershipPairs(),
      }),
    };
    problems.push(...divergencesOf(mirror));

    const [events] = (await sqlRows<{ events: number; redeliveries: number }>(
      db,
      'SELECT count(*) AS events, coalesce(sum(duplicate_deliveries), 0) AS redeliveries FROM webhook_events',
    )) as [{ events: number; redeliveries: number }];
    if (stats.pending !== 0) problems.push(`${stats.pending} webhook messages still pending at the end`);
    if (stats.delivered !== counts.webhookMessages) {
      problems.push(`the changes made must have sent ${counts.webhookMessages} webhook messages, but ${stats.delivered} were delivered`);
    }
    if (events.events !== stats.delivered) {
      problems.push(`${stats.delivered} messages delivered but the API recorded ${events.events} distinct message ids`);
    }

    const present = new Set(
      acknowledged.length === 0
        ? []
        : (await sqlRows<{ id: number }>(db, `SELECT id FROM expectations WHERE id IN (${acknowledged.map(() => '?').join(',')})`, acknowledged)).map(
            (row) => row.id,
          ),
    );
    const missing = acknowledged.filter((id) => !present.has(id));
    if (missing.length > 0) problems.push(`expectations acknowledged but missing after the kills: ${missing.join(', ')}`);
    const withAssignee = lastItems.filter((item) => item.assignee !== null).length;
    if (options.expectations > 0 && withAssignee === 0) problems.push('neither last page of expectations.list (personal, team) has an expectation with an assignee');

    const answers = tally.channels;
    const serverErrors = tally.serverErrors() + webhookLog.figures.serverErrors;
    problems.push(...tally.samples, ...webhookLog.figures.serverErrorSamples);
    for (const [channel, figures] of Object.entries(answers)) {
      if (figures.unexpectedConnectionErrors > 0) {
        problems.push(`${figures.unexpectedConnectionErrors} ${channel} requests got no answer while the API stayed up`);
      }
    }
    for (const replica of replicas) {
      for (const run of replica.api.runs()) problems.push(...run.unexpectedErrors().map((line) => `${replica.name} logged an error: ${line.slice(0, 500)}`));
      problems.push(...replica.api.unexpectedExits());
    }
    if (victim.api.kills < options.kills) problems.push(`only ${victim.api.kills} of ${options.kills} kills happened`);
    const faults = webhookLog.figures;
    if (faults.duplicated === 0 || faults.dropped === 0 || faults.heldBack === 0) {
      problems.push(
        `the faults did not all happen (duplicates ${faults.duplicated}, drops ${faults.dropped}, reorders ${faults.heldBack}): the run proves nothing`,
      );
    }

    return {
      options: { ...options, progress: undefined } as Omit<ChaosOptions, 'progress'>,
      engine,
      replicas: replicas.length,
      elapsedMs: Date.now() - started,
      changes: counts,
      kills: victim.api.kills,
      apiStarts: replicas.reduce((sum, replica) => sum + replica.api.starts, 0),
      webhooks: {
        ...webhookLog.figures,
        pendingAtEnd: stats.pending,
        messages: stats.pending + stats.delivered,
        redeliveriesRecognised: events.redeliveries,
        eventsRecorded: events.events,
      },
      answers,
      serverErrors,
      mirror,
      expectations: {
        acknowledged: acknowledged.length,
        inTeam: acknowledgedInTeam,
        missingAfterAcknowledgement: missing.length,
        lastPageItems: lastItems.length,
        lastPageWithAssignee: withAssignee,
      },
      problems: [...new Set(problems)],
    };
  } finally {
    for (const replica of replicas) await replica.api.kill({ counted: false });
    await mirrorDb?.close();
    await emulator?.close();
    if (ownDir) rmSync(workDir, { recursive: true, force: true });
  }
}

interface ListPage {
  result: { data: { items: Array<{ id: number; author: unknown; assignee: unknown }>; nextCursor: string | null } };
}

function isListPage(body: unknown): body is ListPage {
  const data = (body as { result?: { data?: { items?: unknown; nextCursor?: unknown } } } | undefined)?.result?.data;
  if (!data || !Array.isArray(data.items) || !(data.nextCursor === null || typeof data.nextCursor === 'string')) return false;
  return data.items.every((item: unknown) => {
    const author = (item as { author?: { displayName?: unknown } } | null)?.author;
    return typeof author?.displayName === 'string';
  });
}
