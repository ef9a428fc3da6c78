import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiEnvironmentFor, startClerkEmulator, type ClerkUserJson, type RunningClerkEmulator } from '@expectations/clerk-emulator';
import { openDatabase, parseDatabaseUrl, type Database } from '@expectations/db';
import { sqlRows } from '@expectations/db/testing';
import { AnswerTally, describeError, type Channel, type ChannelFigures } from './answer-tally';
import { ApiSupervisor } from './api-supervisor';
import { ChangeStream, type UserChange } from './change-stream';
import { findFreePort } from './free-port';
import { compareMirror, MIRROR_ROW_QUERY, type MirrorComparison, type MirrorRow } from './mirror-comparison';
import { seededRandom } from './random';
import { webhookLogCounter, type WebhookFigures } from './webhook-log';

export const SPA_ORIGIN = 'http://localhost:5173';
/** Session tokens live 60 s; mint a new one well before. */
const TOKEN_REFRESH_MS = 20_000;
const REQUEST_TIMEOUT_MS = 10_000;

export interface ChaosOptions {
  /** User creates, updates and deletes driven through the stand-in (the kept users' creates included). */
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
  /** Loops calling expectations.list back to back. */
  readers: number;
  /** Expectations created through the API during the stream. */
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
  changes: { total: number; creates: number; updates: number; deletes: number };
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
  expectations: { acknowledged: number; missingAfterAcknowledgement: number; lastPageItems: number; lastPageWithAssignee: number };
  /** Every reason the run failed; empty when the mirror converged and nothing answered 5xx. */
  problems: string[];
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
    async function sessionToken(userId: string): Promise<string> {
      const cached = tokens.get(userId);
      if (cached && Date.now() - cached.mintedAt < TOKEN_REFRESH_MS) return cached.jwt;
      const answer = await standIn<{ jwt: string }>('POST', '/admin/sessions', { user_id: userId, azp: SPA_ORIGIN });
      if (answer.status !== 200) throw new Error(`the stand-in refused a session for ${userId}: ${JSON.stringify(answer.body)}`);
      tokens.set(userId, { jwt: answer.body.jwt, mintedAt: Date.now() });
      return answer.body.jwt;
    }

    const isMirrored = async (clerkId: string) =>
      (await sqlRows(db, 'SELECT id FROM users WHERE clerk_id = ? AND deleted_at IS NULL', [clerkId])).length > 0;
    const activeMirrorIds = () => sqlRows<{ id: number }>(db, 'SELECT id FROM users WHERE deleted_at IS NULL ORDER BY id');

    // --- the change stream -------------------------------------------------------------------
    const keptUsers = Math.max(2, options.readers);
    const stream = new ChangeStream(seededRandom(options.seed), keptUsers);
    const counts = { total: 0, creates: 0, updates: 0, deletes: 0 };

    async function applyChange(change: UserChange): Promise<void> {
      if (change.kind === 'create') {
        const answer = await standIn<ClerkUserJson>('POST', '/admin/users', change.fields);
        if (answer.status !== 201) throw new Error(`the stand-in refused a create (${answer.status}): ${JSON.stringify(answer.body)}`);
        stream.accepted(change, answer.body.id);
        counts.creates += 1;
      } else if (change.kind === 'update') {
        const answer = await standIn('PATCH', `/admin/users/${change.userId}`, change.fields);
        if (answer.status !== 200) throw new Error(`the stand-in refused an update (${answer.status}): ${JSON.stringify(answer.body)}`);
        stream.accepted(change);
        counts.updates += 1;
      } else {
        const answer = await standIn('DELETE', `/admin/users/${change.userId}`);
        if (answer.status !== 200) throw new Error(`the stand-in refused a delete (${answer.status}): ${JSON.stringify(answer.body)}`);
        stream.accepted(change);
        counts.deletes += 1;
      }
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

    // The kept users first: readers and authors sign in as them once their mirror rows exist.
    while (counts.creates < keptUsers) await applyChange(stream.next());
    const kept = stream.keptUserIds();
    await waitUntil('the kept users to reach the mirror', async () => (await Promise.all(kept.map(isMirrored))).every(Boolean), 30_000);
    progress(`the ${kept.length} kept users are in the mirror; the stream starts`);

    // --- readers -------------------------------------------------------------------------------
    let reading = true;
    const listInputs = [{}, { limit: 5 }, { limit: 50, status: 'open' }, { limit: 10 }];
    async function readerLoop(index: number): Promise<void> {
      const userId = kept[index % kept.length]!;
      const replica = replicas[index % replicas.length]!;
      for (let round = 0; reading; round += 1) {
        const input = listInputs[round % listInputs.length];
        const answer = await callApi(replica, 'reads', `/trpc/expectations.list?input=${encodeURIComponent(JSON.stringify(input))}`, await sessionToken(userId));
        if (answer === null) {
          await sleep(25); // the API is down: do not spin on refused connections
          continue;
        }
        if (answer.status === 200 && !isListPage(answer.body)) {
          problems.push(`expectations.list answered 200 with an unexpected body: ${JSON.stringify(answer.body).slice(0, 200)}`);
        } else if (answer.status !== 200) {
          // A valid token of a user with a mirror row: any refusal is wrong, not just a 5xx.
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
    let wantedExpectations = 0;
    let createAttempts = 0;
    async function createPendingExpectation(): Promise<void> {
      if (acknowledged.length >= wantedExpectations) return;
      createAttempts += 1;
      const author = kept[createAttempts % kept.length]!;
      const candidates = await activeMirrorIds();
      const assignee = candidates.length > 0 ? expectationRandom.pick(candidates).id : null;
      const answer = await callApi(replicas[createAttempts % replicas.length]!, 'apiWrites', '/trpc/expectations.create', await sessionToken(author), {
        title: `Chaos expectation ${createAttempts}`,
        details: expectationRandom.chance(0.5) ? 'Created while the API was being killed and restarted.' : undefined,
        assigneeId: assignee,
        dueOn: expectationRandom.chance(0.5) ? '2031-02-28' : undefined,
      });
      if (answer?.status === 200) {
        const id = (answer.body as { result?: { data?: { id?: unknown } } }).result?.data?.id;
        if (typeof id === 'number') acknowledged.push(id);
        else problems.push(`expectations.create answered 200 without an id: ${JSON.stringify(answer.body).slice(0, 200)}`);
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
      await applyChange(stream.next());
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

    // One last page as a reader sees it: the created expectations with both joins.
    const lastPage = await callApi(replicas.at(-1)!, 'reads', `/trpc/expectations.list?input=${encodeURIComponent(JSON.stringify({ limit: 100 }))}`, await sessionToken(kept[0]!));
    const lastItems = lastPage && isListPage(lastPage.body) ? lastPage.body.result.data.items : [];
    // Stop with a last SIGKILL: what is compared below is what reached the disk.
    for (const replica of replicas) await replica.api.kill({ counted: false });

    // --- the checks --------------------------------------------------------------------------
    const stats = clerk.webhookStats();
    const liveUsers = (await standIn<{ data: ClerkUserJson[] }>('GET', '/admin/users')).body.data;
    const rows = await sqlRows<MirrorRow>(db, MIRROR_ROW_QUERY);
    const mirror = compareMirror(rows, liveUsers, stream.deletedUserIds());
    problems.push(...mirror.divergences);

    const [events] = (await sqlRows<{ events: number; redeliveries: number }>(
      db,
      'SELECT count(*) AS events, coalesce(sum(duplicate_deliveries), 0) AS redeliveries FROM webhook_events',
    )) as [{ events: number; redeliveries: number }];
    if (stats.pending !== 0) problems.push(`${stats.pending} webhook messages still pending at the end`);
    if (stats.delivered !== counts.total) problems.push(`${counts.total} changes made but ${stats.delivered} webhook messages delivered`);
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
    if (options.expectations > 0 && withAssignee === 0) problems.push('the last page of expectations.list has no expectation with an assignee');

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
