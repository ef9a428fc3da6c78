import pg from 'pg';
import type { PostgresInternals } from '../internals';
import { FEED_EVENTS_CHANNEL } from './settings';

/** Longest wait between two attempts to listen again after the connection was lost. */
const MAX_RECONNECT_DELAY_MS = 30_000;

export interface FeedEventsListener {
  close(): Promise<void>;
}

/**
 * LISTENs on the feed's channel on a connection of its own (a pooled one would be handed to
 * queries, and LISTEN belongs to a session), so that a write through any replica wakes this one.
 * A lost connection is opened again with back-off; `onNotification` is called once it listens
 * again, since whatever was committed meanwhile was not announced to it. `onError` hears each loss.
 */
export function listenOnPostgres(
  { pool }: PostgresInternals,
  onNotification: () => void,
  onError: (error: Error) => void,
): FeedEventsListener {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let delayMs = 500;

  const connect = async () => {
    const next = new pg.Client(pool.options);
    client = next;
    next.on('notification', () => onNotification());
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, new Error('the feed listener’s connection ended')));
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(FEED_EVENTS_CHANNEL)}`);
      delayMs = 500;
      onNotification();
    } catch (error) {
      lost(next, error as Error);
    }
  };

  const lost = (which: pg.Client, error: Error) => {
    if (closed || client !== which) return;
    client = null;
    which.removeAllListeners('end');
    void which.end().catch(() => {});
    onError(error);
    retry = setTimeout(() => void connect(), delayMs);
    delayMs = Math.min(delayMs * 2, MAX_RECONNECT_DELAY_MS);
  };

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const last = client;
      client = null;
      if (last) {
        last.removeAllListeners('end');
        await last.end().catch(() => {});
      }
    },
  };
}
