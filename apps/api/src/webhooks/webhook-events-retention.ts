import { pruneWebhookEvents, type Database } from '@expectations/db';
import type { Logger } from '../logger';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How often each API process prunes: rows outlive the window by at most this. */
export const WEBHOOK_EVENTS_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export interface WebhookEventsRetention {
  /** Told how many rows each prune that deleted any deleted (for the metrics). */
  onPruned(listener: (count: number) => void): void;
  /** Prunes now (also what the timer does); resolves with the rows deleted. */
  pruneNow(): Promise<number>;
  /** Stops the timer and waits for a prune under way. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Keeps `webhook_events` from growing forever: once at start and then every hour, deletes the
 * rows last delivered more than `retentionDays` ago, in short batches (see pruneWebhookEvents).
 * Every replica runs it; on PostgreSQL they skip each other's rows. A failed prune is logged and
 * tried again at the next tick.
 */
export function startWebhookEventsRetention(options: {
  db: Database;
  log: Logger;
  retentionDays: number;
  intervalMs?: number;
  now?: () => number;
}): WebhookEventsRetention {
  const { db, log, retentionDays } = options;
  const now = options.now ?? Date.now;
  const listeners: Array<(count: number) => void> = [];
  let running: Promise<number> | undefined;
  let stopped = false;

  const pruneNow = () =>
    (running ??= pruneWebhookEvents(db, { deliveredBefore: now() - retentionDays * DAY_MS })
      .then((count) => {
        if (count > 0) {
          log.info({ pruned: count, retentionDays }, 'webhook_events: pruned rows older than the retention window');
          for (const listener of listeners) listener(count);
        }
        return count;
      })
      .finally(() => (running = undefined)));

  const tick = () => {
    if (stopped) return;
    pruneNow().catch((error: unknown) => log.warn({ err: error }, 'webhook_events: pruning failed; trying again at the next tick'));
  };
  const first = setImmediate(tick);
  const timer = setInterval(tick, options.intervalMs ?? WEBHOOK_EVENTS_PRUNE_INTERVAL_MS).unref();

  return {
    onPruned: (listener) => void listeners.push(listener),
    pruneNow,
    async stop() {
      stopped = true;
      clearImmediate(first);
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
