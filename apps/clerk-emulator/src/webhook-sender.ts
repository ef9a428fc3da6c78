import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'svix';
import type { Logger } from './logger';
import type { OutboxMessage, WebhookOutbox } from './outbox';
import { faultRoll, NO_FAULTS, type WebhookFaults } from './webhook-faults';

/**
 * Svix retries after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; compressed here so that tests and
 * local runs converge in seconds. After the last step the delay stays at the cap. Svix gives a
 * message up after its eighth attempt (about 27 hours); the stand-in does so only when given
 * `maxAttempts` (`WEBHOOK_MAX_ATTEMPTS`): 13 compressed seconds of downtime would otherwise lose
 * messages on any development machine.
 */
export const RETRY_SCHEDULE_MS: readonly number[] = [100, 250, 500, 1000, 2000, 4000, 5000];
/** How long the reorder fault holds a message back so that later ones overtake it. */
export const REORDER_HOLD_MS = 300;
/** The idle wake-up: a safety net under the notifications, not the main trigger. */
const IDLE_POLL_MS = 1000;

export interface WebhookSenderOptions {
  outbox: WebhookOutbox;
  signingSecret: string;
  /** Where to post: one URL, or several separated by commas (round-robin, one per attempt); null holds every message until a URL is set. */
  url: string | null;
  faults?: WebhookFaults;
  log: Logger;
  /** Messages sent at once. Svix does not order deliveries, so neither does the stand-in. */
  concurrency?: number;
  attemptTimeoutMs?: number;
  /** Attempts after which a message is given up (until recovered); null: never. */
  maxAttempts?: number | null;
}

interface PostResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

export function retryDelayMs(failedAttempts: number): number {
  const index = Math.min(Math.max(failedAttempts, 1), RETRY_SCHEDULE_MS.length) - 1;
  return RETRY_SCHEDULE_MS[index] ?? RETRY_SCHEDULE_MS[RETRY_SCHEDULE_MS.length - 1] ?? 5000;
}

/**
 * Posts outbox messages to the webhook URL, signed as Svix signs, until each is answered 2xx.
 * Every attempt of one message carries the same `svix-id`; the signature is made afresh per
 * attempt with that attempt's timestamp, as Svix does.
 */
export class WebhookSender {
  private readonly outbox: WebhookOutbox;
  private readonly signer: Webhook;
  private readonly faults: WebhookFaults;
  private readonly log: Logger;
  private readonly concurrency: number;
  private readonly attemptTimeoutMs: number;
  private readonly maxAttempts: number | null;
  /** Several URLs: API replicas behind no load balancer. Each attempt goes to the next one. */
  private urls: string[];
  private nextUrl = 0;
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly stopController = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(options: WebhookSenderOptions) {
    this.outbox = options.outbox;
    this.signer = new Webhook(options.signingSecret);
    this.faults = options.faults ?? NO_FAULTS;
    this.log = options.log;
    this.urls = splitUrls(options.url);
    this.concurrency = options.concurrency ?? 4;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 5000;
    this.maxAttempts = options.maxAttempts ?? null;
  }

  /** Starts sending; messages left pending by a previous run go first. */
  start(): void {
    this.running = true;
    this.pump();
  }

  /** A change was committed: look at the outbox now rather than at the next poll. */
  notify(): void {
    if (this.running) this.pump();
  }

  setUrl(url: string | null): void {
    this.urls = splitUrls(url);
    this.log.info({ webhookUrl: url }, url ? 'webhook URL set' : 'webhook URL cleared: holding messages');
    this.notify();
  }

  get webhookUrl(): string | null {
    return this.urls.length === 0 ? null : this.urls.join(',');
  }

  /** Round-robin over the URLs: a duplicate's two copies go to two different replicas. */
  private takeUrl(): string {
    return this.urls[this.nextUrl++ % this.urls.length]!;
  }

  /** Stops sending. Attempts in flight are abandoned unrecorded: their messages stay pending for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.stopController.abort();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running || this.urls.length === 0) return;
    const busy = new Set(this.inFlight.keys());
    const free = this.concurrency - busy.size;
    if (free > 0) {
      for (const message of this.outbox.due(Date.now(), free, busy)) {
        const attempt = this.attempt(message)
          .catch((error: unknown) => this.log.error({ err: error, msgId: message.msgId }, 'webhook attempt crashed'))
          .finally(() => {
            this.inFlight.delete(message.seq);
            this.pump();
          });
        this.inFlight.set(message.seq, attempt);
      }
    }
    if (this.inFlight.size >= this.concurrency) return; // a finishing attempt pumps again
    const next = this.outbox.nextAttemptAt(new Set(this.inFlight.keys()));
    const wait = next === undefined ? IDLE_POLL_MS : Math.min(Math.max(next - Date.now(), 0), IDLE_POLL_MS);
    this.timer = setTimeout(() => this.pump(), wait);
    this.timer.unref();
  }

  private async attempt(message: OutboxMessage): Promise<void> {
    const { seed } = this.faults;
    const attempt = message.attempts + 1;
    const logFields = { msgId: message.msgId, type: message.type, attempt };

    if (!message.held && this.faults.reorder > 0 && faultRoll(seed, message.seq, 0, 'reorder') < this.faults.reorder) {
      this.outbox.hold(message.seq, Date.now() + REORDER_HOLD_MS);
      this.log.info({ ...logFields, fault: 'reorder', holdMs: REORDER_HOLD_MS }, 'webhook fault: holding the message back so later ones overtake it');
      return;
    }
    if (this.faults.delayMs > 0) {
      const delayMs = Math.floor(faultRoll(seed, message.seq, attempt, 'delay') * this.faults.delayMs);
      this.log.debug({ ...logFields, fault: 'delay', delayMs }, 'webhook fault: delaying the attempt');
      try {
        await sleep(delayMs, undefined, { signal: this.stopController.signal });
      } catch {
        return; // stopping
      }
    }
    if (this.faults.drop > 0 && faultRoll(seed, message.seq, attempt, 'drop') < this.faults.drop) {
      this.recordFailure(message, 1, { ok: false, status: null, error: 'dropped by WEBHOOK_FAULTS (drop): not sent' });
      this.log.info({ ...logFields, fault: 'drop' }, 'webhook fault: attempt dropped, will retry');
      return;
    }
    const copies = this.faults.duplicate > 0 && faultRoll(seed, message.seq, attempt, 'duplicate') < this.faults.duplicate ? 2 : 1;
    if (copies === 2) this.log.info({ ...logFields, fault: 'duplicate' }, 'webhook fault: delivering the message twice');

    if (this.urls.length === 0) return;
    const results = await Promise.all(Array.from({ length: copies }, () => this.post(this.takeUrl(), message)));
    if (!this.running) return; // stopped mid-attempt: leave the message pending, unrecorded
    const failed = results.filter((result) => !result.ok).length;
    const success = results.find((result) => result.ok);
    if (success) {
      this.outbox.recordDelivered(message.seq, { attempts: copies, failed, status: success.status ?? 200, now: Date.now() });
      this.log.info({ ...logFields, status: success.status }, 'webhook delivered');
      return;
    }
    this.recordFailure(message, copies, results[0] ?? { ok: false, status: null, error: 'no attempt made' });
  }

  private recordFailure(message: OutboxMessage, attempts: number, result: PostResult): void {
    // Counted from the last recovery: a recovered message gets a fresh budget, as with Svix.
    const failedAttempts = message.failedAttempts - message.failedBeforeRecovery + attempts;
    const outcome = { attempts, failed: attempts, status: result.status, error: result.error ?? `HTTP ${result.status}`, now: Date.now() };
    if (this.maxAttempts !== null && failedAttempts >= this.maxAttempts) {
      this.outbox.recordGivenUp(message.seq, outcome);
      this.log.warn(
        { msgId: message.msgId, type: message.type, attempt: message.attempts + attempts, status: result.status, error: result.error },
        'webhook given up after its last attempt: POST /admin/webhooks/recover sends it again',
      );
      return;
    }
    const delay = retryDelayMs(failedAttempts);
    this.outbox.recordFailed(message.seq, { ...outcome, nextAttemptAt: outcome.now + delay });
    this.log.warn(
      { msgId: message.msgId, type: message.type, attempt: message.attempts + attempts, status: result.status, error: result.error, retryInMs: delay },
      'webhook attempt failed, will retry',
    );
  }

  private async post(url: string, message: OutboxMessage): Promise<PostResult> {
    const timestamp = new Date();
    const headers = {
      'content-type': 'application/json',
      'svix-id': message.msgId,
      'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'svix-signature': this.signer.sign(message.msgId, timestamp, message.payload),
      'user-agent': 'Svix-Webhooks/1.0 (clerk-emulator)',
    };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: message.payload,
        redirect: 'manual', // Svix treats a redirect as a failed attempt
        signal: AbortSignal.any([this.stopController.signal, AbortSignal.timeout(this.attemptTimeoutMs)]),
      });
      const body = await response.text();
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, error: null };
      return { ok: false, status: response.status, error: `HTTP ${response.status}: ${body.slice(0, 300)}` };
    } catch (error) {
      return { ok: false, status: null, error: describeFetchError(error, this.attemptTimeoutMs) };
    }
  }
}

function splitUrls(url: string | null): string[] {
  return (url ?? '').split(',').map((part) => part.trim()).filter(Boolean);
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    if (error.name === 'AbortError') return 'aborted: the stand-in is stopping';
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause && typeof cause.code === 'string') return `${cause.code}${typeof cause.message === 'string' ? `: ${cause.message}` : ''}`;
    return error.message;
  }
  return String(error);
}
