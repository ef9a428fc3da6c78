import { newClerkId } from './clerk-ids';
import type { ClerkWebhookEvent } from './clerk-json';
import type { Sqlite } from './store';

/** One message waiting in (or delivered from) the outbox. */
export interface OutboxMessage {
  seq: number;
  msgId: string;
  type: string;
  /** The user, organization or membership the event is about. */
  objectId: string;
  payload: string;
  attempts: number;
  failedAttempts: number;
  /** Failed attempts before the last recovery: the current budget of attempts starts here. */
  failedBeforeRecovery: number;
  held: boolean;
}

/**
 * GET /admin/webhooks: messages still being tried, messages delivered, attempts that got no 2xx,
 * and messages given up after their last attempt (until recovered).
 */
export interface WebhookStats {
  pending: number;
  delivered: number;
  failed: number;
  given_up: number;
}

interface OutboxRow {
  seq: number;
  msg_id: string;
  event_type: string;
  object_id: string;
  payload: string;
  attempts: number;
  failed_attempts: number;
  failed_before_recovery: number;
  held: number;
}

const toMessage = (row: OutboxRow): OutboxMessage => ({
  seq: row.seq,
  msgId: row.msg_id,
  type: row.event_type,
  objectId: row.object_id,
  payload: row.payload,
  attempts: row.attempts,
  failedAttempts: row.failed_attempts,
  failedBeforeRecovery: row.failed_before_recovery,
  held: row.held !== 0,
});

/**
 * The durable webhook outbox. `enqueue` is called inside the transaction that makes the change
 * (of a user, an organization or a membership), so a change and its event commit together or
 * not at all.
 */
export class WebhookOutbox {
  private readonly insert;
  private readonly selectDue;
  private readonly selectUpcoming;
  private readonly markDelivered;
  private readonly markFailed;
  private readonly markHeld;
  private readonly markGivenUp;
  private readonly recoverSince;
  private readonly countStats;

  constructor(db: Sqlite) {
    this.insert = db.prepare(
      `INSERT INTO webhook_outbox (msg_id, event_type, object_id, payload, created_at, next_attempt_at)
       VALUES (@msgId, @type, @objectId, @payload, @now, @now)`,
    );
    this.selectDue = db.prepare<[number, number], OutboxRow>(
      `SELECT seq, msg_id, event_type, object_id, payload, attempts, failed_attempts, failed_before_recovery, held FROM webhook_outbox
       WHERE delivered_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?`,
    );
    this.selectUpcoming = db.prepare<[number], { seq: number; next_attempt_at: number }>(
      `SELECT seq, next_attempt_at FROM webhook_outbox WHERE delivered_at IS NULL AND given_up_at IS NULL
       ORDER BY next_attempt_at, seq LIMIT ?`,
    );
    this.markDelivered = db.prepare(
      `UPDATE webhook_outbox SET attempts = attempts + @attempts, failed_attempts = failed_attempts + @failed,
         last_attempt_at = @now, last_status = @status, last_error = NULL, delivered_at = @now
       WHERE seq = @seq`,
    );
    this.markFailed = db.prepare(
      `UPDATE webhook_outbox SET attempts = attempts + @attempts, failed_attempts = failed_attempts + @failed,
         last_attempt_at = @now, last_status = @status, last_error = @error, next_attempt_at = @nextAttemptAt
       WHERE seq = @seq`,
    );
    this.markHeld = db.prepare('UPDATE webhook_outbox SET held = 1, next_attempt_at = @until WHERE seq = @seq');
    this.markGivenUp = db.prepare(
      `UPDATE webhook_outbox SET attempts = attempts + @attempts, failed_attempts = failed_attempts + @failed,
         last_attempt_at = @now, last_status = @status, last_error = @error, given_up_at = @now
       WHERE seq = @seq`,
    );
    this.recoverSince = db.prepare(
      `UPDATE webhook_outbox SET given_up_at = NULL, failed_before_recovery = failed_attempts, next_attempt_at = @now
       WHERE given_up_at IS NOT NULL AND delivered_at IS NULL AND created_at >= @since`,
    );
    this.countStats = db.prepare<[], WebhookStats>(
      `SELECT coalesce(sum(delivered_at IS NULL AND given_up_at IS NULL), 0) AS pending,
         coalesce(sum(delivered_at IS NOT NULL), 0) AS delivered, coalesce(sum(failed_attempts), 0) AS failed,
         coalesce(sum(delivered_at IS NULL AND given_up_at IS NOT NULL), 0) AS given_up
       FROM webhook_outbox`,
    );
  }

  /** Adds an event about `objectId`; returns its Svix message id. Call inside the change's transaction. */
  enqueue(event: ClerkWebhookEvent, objectId: string, now: number): string {
    const msgId = newClerkId('msg', now);
    this.insert.run({ msgId, type: event.type, objectId, payload: JSON.stringify(event), now });
    return msgId;
  }

  /** Undelivered messages whose next attempt is due, oldest schedule first, skipping `exclude`. */
  due(now: number, limit: number, exclude: ReadonlySet<number>): OutboxMessage[] {
    return this.selectDue
      .all(now, limit + exclude.size)
      .filter((row) => !exclude.has(row.seq))
      .slice(0, limit)
      .map(toMessage);
  }

  /** When the earliest undelivered message not in `exclude` is due, or undefined if none waits. */
  nextAttemptAt(exclude: ReadonlySet<number>): number | undefined {
    return this.selectUpcoming.all(exclude.size + 1).find((row) => !exclude.has(row.seq))?.next_attempt_at;
  }

  recordDelivered(seq: number, outcome: { attempts: number; failed: number; status: number; now: number }): void {
    this.markDelivered.run({ seq, ...outcome });
  }

  recordFailed(
    seq: number,
    outcome: { attempts: number; failed: number; status: number | null; error: string; now: number; nextAttemptAt: number },
  ): void {
    this.markFailed.run({ seq, ...outcome });
  }

  /** Records a failed last attempt: the message is not tried again unless recovered. */
  recordGivenUp(seq: number, outcome: { attempts: number; failed: number; status: number | null; error: string; now: number }): void {
    this.markGivenUp.run({ seq, ...outcome });
  }

  /**
   * Svix's "recover failed messages": every message given up that was created at or after
   * `since` (epoch ms; 0 for all) is sent again, same message id, with a fresh budget of
   * attempts. Returns how many.
   */
  recover(since: number, now: number): number {
    return this.recoverSince.run({ since, now }).changes;
  }

  /** Holds a message back (the reorder fault); a message is held at most once. */
  hold(seq: number, until: number): void {
    this.markHeld.run({ seq, until });
  }

  stats(): WebhookStats {
    const row = this.countStats.get();
    return { pending: row?.pending ?? 0, delivered: row?.delivered ?? 0, failed: row?.failed ?? 0, given_up: row?.given_up ?? 0 };
  }
}
