import type { FeedQueries, FeedRecord, FeedScope } from '@expectations/db';
import type { RouterLogger } from '../logger';
import type { FeedEvent } from './events';

/**
 * Who an open feed is, as the hub indexes it: its scope (a team's mirror id, or the caller's own
 * for a personal feed) and its caller's users mirror id.
 */
export interface FeedSubscriberIdentity {
  scope: FeedScope;
  userId: number;
}

/** An event as the hub holds it: who sees it, whose access it calls into question, and what they see. */
interface HubEvent {
  id: number;
  /** Scope keys of the feeds that show it (see scopeKeyOf). */
  audience: readonly string[];
  /** Keys of the feeds that must check their caller's access again before going on. */
  recheck: readonly string[];
  /** Null for events only the server acts on. */
  event: FeedEvent | null;
}

/** An event that concerns one subscription: what it shows (null: nothing), and whether its access must be checked again first. */
export interface HeldEvent {
  id: number;
  event: FeedEvent | null;
  recheck: boolean;
}

/** What a subscription learns from the hub about the events after its position. */
export type HubRead =
  /**
   * The hub holds every event after the position: those that concern the subscription (to show,
   * or to check its access again), and the position it has now read through.
   */
  | { kind: 'events'; events: HeldEvent[]; through: number }
  /** Older than the hub's memory: the subscription reads its own scope from the database. */
  | { kind: 'behind' };

export interface FeedHubSubscription {
  read(after: number): HubRead;
  /** Resolves when an event for this subscription may have arrived, or when `signal` aborts. */
  wait(signal: AbortSignal): Promise<void>;
  close(): void;
}

export interface FeedHubOptions {
  queries: FeedQueries;
  log: RouterLogger;
  /** Events kept in memory for every open feed to read (default 4,096): the bound of the shared buffer. */
  memoryEvents?: number;
  /** Rows read per statement (default 500). */
  readBatch?: number;
}

/** The feed as `feed.changes` sees it: the process's hub, and the database for replays. */
export interface FeedSource {
  readonly queries: FeedQueries;
  subscribe(identity: FeedSubscriberIdentity): FeedHubSubscription;
}

export const scopeKeyOf = (scope: FeedScope) => ('organizationId' in scope ? `o${scope.organizationId}` : `u${scope.personalUserId}`);

/** Every key a feed is woken by: its scope's, and those of events that end its access. */
function keysOf({ scope, userId }: FeedSubscriberIdentity): string[] {
  const own = `me${userId}`;
  return 'organizationId' in scope ? [scopeKeyOf(scope), `o${scope.organizationId}/u${userId}`, own] : [scopeKeyOf(scope), own];
}

interface Subscriber {
  scopeKey: string;
  keys: Set<string>;
  woken: boolean;
  resume: (() => void) | null;
}

/**
 * The process's one reader of `feed_events`: it reads each new row once (with what it names
 * joined), works out which feeds it concerns, keeps the latest `memoryEvents` of them in a buffer
 * that every open feed reads at its own pace, and wakes only the feeds concerned. A feed holds a
 * position, not a queue: a slow consumer costs no memory, and one whose position fell out of the
 * buffer reads its own scope from the database instead (bounded there, see feed.changes).
 *
 * `wake()` is called whenever the table may have new rows (watchFeedEvents: a commit in this
 * process, or NOTIFY from another replica); wakes during a read fold into one more read.
 */
export class FeedHub implements FeedSource {
  readonly queries: FeedQueries;
  private readonly log: RouterLogger;
  private readonly memoryEvents: number;
  private readonly readBatch: number;
  private readonly buffer: HubEvent[] = [];
  private readonly byKey = new Map<string, Set<Subscriber>>();
  /** Every event with an id above this and up to `head` is in `buffer`. */
  private floor = 0;
  private head = 0;
  private reading: Promise<void> | null = null;
  private again = false;
  private started = false;

  constructor(options: FeedHubOptions) {
    this.queries = options.queries;
    this.log = options.log;
    this.memoryEvents = options.memoryEvents ?? 4096;
    this.readBatch = options.readBatch ?? 500;
  }

  /** Starts at the feed's newest row: what came before is the database's to replay. */
  async start(): Promise<void> {
    const { newestId } = await this.queries.feedBounds();
    this.floor = this.head = newestId ?? 0;
    this.started = true;
  }

  /** The position up to which the hub has read. */
  get position(): number {
    return this.head;
  }

  /** Events held in memory now (at most `memoryEvents`). */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Open feeds in this process. */
  get subscribers(): number {
    let count = 0;
    for (const [key, set] of this.byKey) if (key.startsWith('me')) count += set.size;
    return count;
  }

  /** Reads whatever is new; resolves once the hub has read up to the rows committed before the call. */
  wake(): Promise<void> {
    if (!this.started) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.readAll()
      // The rows stay in the table: the next wake (or the periodic one) reads them.
      .catch((error: unknown) => this.log.error({ err: error }, 'the live feed could not read new events; it will try again on the next change'))
      .finally(() => (this.reading = null));
    return this.reading;
  }

  subscribe(identity: FeedSubscriberIdentity): FeedHubSubscription {
    const subscriber: Subscriber = { scopeKey: scopeKeyOf(identity.scope), keys: new Set(keysOf(identity)), woken: false, resume: null };
    for (const key of subscriber.keys) {
      let set = this.byKey.get(key);
      if (!set) this.byKey.set(key, (set = new Set()));
      set.add(subscriber);
    }
    return {
      read: (after) => this.read(subscriber, after),
      wait: (signal) => waitFor(subscriber, signal),
      close: () => {
        for (const key of subscriber.keys) {
          const set = this.byKey.get(key);
          set?.delete(subscriber);
          if (set?.size === 0) this.byKey.delete(key);
        }
        subscriber.resume?.();
      },
    };
  }

  private read(subscriber: Subscriber, after: number): HubRead {
    if (after < this.floor) return { kind: 'behind' };
    const events: HeldEvent[] = [];
    for (let index = firstAfter(this.buffer, after); index < this.buffer.length; index += 1) {
      const held = this.buffer[index]!;
      const shown = held.event !== null && held.audience.includes(subscriber.scopeKey);
      const recheck = held.recheck.some((key) => subscriber.keys.has(key));
      if (shown || recheck) events.push({ id: held.id, event: shown ? held.event : null, recheck });
    }
    return { kind: 'events', events, through: Math.max(after, this.head) };
  }

  private async readAll(): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        const records = await this.queries.readFeedEvents(this.head, this.readBatch);
        if (records.length === 0) break;
        const woken = new Set<Subscriber>();
        for (const record of records) {
          const held = await this.hold(record);
          this.buffer.push(held);
          this.head = held.id;
          for (const key of [...held.audience, ...held.recheck]) for (const subscriber of this.byKey.get(key) ?? []) woken.add(subscriber);
        }
        this.evict();
        for (const subscriber of woken) wakeUp(subscriber);
        if (records.length < this.readBatch) break;
      }
    } while (this.again);
  }

  private evict(): void {
    const excess = this.buffer.length - this.memoryEvents;
    if (excess <= 0) return;
    this.floor = this.buffer[excess - 1]!.id;
    this.buffer.splice(0, excess);
  }

  /** Who sees a record, worked out once for every feed of this process. */
  private async hold(record: FeedRecord): Promise<HubEvent> {
    switch (record.kind) {
      case 'expectation.created':
      case 'expectation.updated': {
        const { expectation, organizationId } = record;
        const audience =
          organizationId !== null ? [`o${organizationId}`] : [`u${expectation.author.id}`, ...(expectation.assignee ? [`u${expectation.assignee.id}`] : [])];
        return { id: record.id, audience, recheck: [], event: { type: record.kind, expectation } };
      }
      case 'profile.updated': {
        const { organizationIds, personalUserIds } = await this.queries.profileAudience(record.profile.id);
        const audience = [...organizationIds.map((id) => `o${id}`), ...personalUserIds.map((id) => `u${id}`)];
        // A deleted user's own feeds end: their access is checked again.
        return { id: record.id, audience, recheck: [`me${record.profile.id}`], event: { type: 'profile.updated', profile: record.profile } };
      }
      case 'membership.ended': {
        const { organizationId, userId } = record;
        if (organizationId === null) return { id: record.id, audience: [], recheck: [], event: null };
        return { id: record.id, audience: [], recheck: [userId === null ? `o${organizationId}` : `o${organizationId}/u${userId}`], event: null };
      }
    }
  }
}

/** The index of the first buffered event with an id above `after` (the buffer is in id order). */
function firstAfter(buffer: readonly HubEvent[], after: number): number {
  let low = 0;
  let high = buffer.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (buffer[middle]!.id <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}

function wakeUp(subscriber: Subscriber): void {
  subscriber.woken = true;
  const resume = subscriber.resume;
  subscriber.resume = null;
  resume?.();
}

function waitFor(subscriber: Subscriber, signal: AbortSignal): Promise<void> {
  if (subscriber.woken || signal.aborted) {
    subscriber.woken = false;
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      subscriber.woken = false;
      subscriber.resume = null;
      resolve();
    };
    subscriber.resume = done;
    signal.addEventListener('abort', done, { once: true });
  });
}
