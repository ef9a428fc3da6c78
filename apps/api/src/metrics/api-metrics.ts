import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { mirroredClerkEventTypes, type MirrorAuditQueries, type MirroredClerkEventType, type WebhookOutcome } from '@expectations/db';
import type { Logger } from '../logger';

/** What the webhook route reports: how a delivery ended, and how long applying it took. */
export type WebhookDeliveryOutcome = WebhookOutcome | 'refused';

/**
 * A delivery's event type as a label: each type the mirror applies by name, every other type
 * `other` and a delivery refused before its type could be trusted `unknown`, so that no delivery
 * can mint a new label value.
 */
export type WebhookTypeLabel = MirroredClerkEventType | 'other' | 'unknown';

const MIRRORED_TYPES: ReadonlySet<string> = new Set(mirroredClerkEventTypes);

/** The label of a delivery's `type`: a body with no type at all is `unknown`. */
export function webhookTypeLabel(type: unknown): WebhookTypeLabel {
  if (typeof type !== 'string') return 'unknown';
  return MIRRORED_TYPES.has(type) ? (type as MirroredClerkEventType) : 'other';
}

/** The series that exist from the start, at zero: each outcome a delivery of that type can have. */
const EXPECTED_DELIVERIES: ReadonlyArray<[WebhookTypeLabel, WebhookDeliveryOutcome]> = [
  ...mirroredClerkEventTypes.flatMap((type) => (['applied', 'stale', 'duplicate', 'refused'] as const).map((outcome): [WebhookTypeLabel, WebhookDeliveryOutcome] => [type, outcome])),
  ['other', 'ignored'],
  ['other', 'duplicate'],
  ['other', 'refused'],
  ['unknown', 'refused'],
];

export interface WebhookMetrics {
  /** `applySeconds`: the transaction's duration (absent for refused deliveries, which apply nothing). */
  delivery(type: WebhookTypeLabel, outcome: WebhookDeliveryOutcome, applySeconds?: number): void;
}

export interface TrpcMetrics {
  request(procedure: string, status: number, seconds: number): void;
}

/** A committed write with synchronous=FULL takes about a millisecond; a busy lock up to seconds. */
const APPLY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The API's Prometheus metrics, in a registry of its own (several APIs may run in one test
 * process). Counters and histograms are updated as requests happen; the mirror's row counts
 * and the last applied event are read from the database at scrape time, so every replica of
 * the API reports the same shared truth.
 */
export class ApiMetrics implements WebhookMetrics, TrpcMetrics {
  readonly registry = new Registry();
  private readonly deliveries;
  private readonly applyDuration;
  private readonly trpcDuration;
  private readonly prunedWebhookEvents;
  /** One child per procedure and status: prom-client hashes label values on every unlabelled call. */
  private readonly trpcChildren = new Map<string, { observe(value: number): void }>();
  /** Epoch ms; undefined until first read from the database, then kept current by `delivery`. */
  private lastAppliedMs: number | null | undefined;

  constructor(options: { queries: Pick<MirrorAuditQueries, 'countMirrorUsers' | 'lastAppliedWebhookAt'>; log: Logger; processMetrics?: boolean }) {
    const { queries, log } = options;
    const registers = [this.registry];
    this.deliveries = new Counter({
      name: 'expectations_webhook_deliveries_total',
      help: 'Clerk webhook deliveries by event type (each mirrored type by name, "other" for the rest, "unknown" when refused before the type could be trusted) and outcome: applied, stale (older than the mirror), duplicate (a repeated svix-id), ignored (an event type not mirrored), refused (4xx: bad signature, payload or headers, or a body too large or unreadable).',
      labelNames: ['type', 'outcome'] as const,
      registers,
    });
    for (const [type, outcome] of EXPECTED_DELIVERIES) this.deliveries.inc({ type, outcome }, 0);
    this.applyDuration = new Histogram({
      name: 'expectations_webhook_apply_duration_seconds',
      help: 'Time to apply one verified Clerk webhook delivery: its transaction, committed to disk.',
      buckets: APPLY_BUCKETS,
      registers,
    });
    this.prunedWebhookEvents = new Counter({
      name: 'expectations_webhook_events_pruned_total',
      help: 'webhook_events rows this process deleted because their last delivery was older than WEBHOOK_EVENTS_RETENTION_DAYS.',
      registers,
    });
    this.trpcDuration = new Histogram({
      name: 'expectations_trpc_request_duration_seconds',
      help: 'tRPC requests by procedure ("unknown" for names the router lacks) and HTTP status, and their duration; _count is the number of requests.',
      labelNames: ['procedure', 'status'] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'expectations_mirror_users',
      help: 'Rows in the users mirror: state="live", or state="deleted" (tombstones kept for their expectations).',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        try {
          const { live, deleted } = await queries.countMirrorUsers();
          this.set({ state: 'live' }, live);
          this.set({ state: 'deleted' }, deleted);
        } catch (error) {
          this.reset();
          log.warn({ err: error }, 'metrics: the mirror could not be counted');
        }
      },
    });
    const lastApplied: Gauge = new Gauge({
      name: 'expectations_webhook_last_applied_timestamp_seconds',
      help: 'When the last Clerk webhook that changed the mirror was received (Unix time); 0 until one has.',
      registers,
      collect: async () => {
        try {
          this.lastAppliedMs ??= await queries.lastAppliedWebhookAt();
          lastApplied.set((this.lastAppliedMs ?? 0) / 1000);
        } catch (error) {
          lastApplied.reset();
          log.warn({ err: error }, 'metrics: the last applied webhook could not be read');
        }
      },
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  delivery(type: WebhookTypeLabel, outcome: WebhookDeliveryOutcome, applySeconds?: number): void {
    this.deliveries.inc({ type, outcome });
    if (applySeconds !== undefined) this.applyDuration.observe(applySeconds);
    if (outcome === 'applied') this.lastAppliedMs = Date.now();
  }

  webhookEventsPruned(count: number): void {
    this.prunedWebhookEvents.inc(count);
  }

  request(procedure: string, status: number, seconds: number): void {
    const key = `${procedure} ${status}`;
    let child = this.trpcChildren.get(key);
    if (!child) {
      child = this.trpcDuration.labels(procedure, String(status));
      this.trpcChildren.set(key, child);
    }
    child.observe(seconds);
  }

  /** The exposition: Prometheus text format. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
