import { pino, type Logger } from 'pino';

/** What the stand-in's webhook sender did, read from its own log lines (it logs every fault). */
export interface WebhookFigures {
  /** Messages answered 2xx (each message once). */
  delivered: number;
  /** Attempts the sender posted twice (fault `duplicate`). */
  duplicated: number;
  /** Attempts the sender did not post at all (fault `drop`). */
  dropped: number;
  /** Messages held back so that later ones overtook them (fault `reorder`). */
  heldBack: number;
  /** Attempts that got no 2xx for another reason: refused or reset while the API was down, timeouts. */
  failedAttempts: number;
  /** Attempts the webhook route answered with a 5xx. */
  serverErrors: number;
  /** A few of those 5xx answers, as the sender recorded them. */
  serverErrorSamples: string[];
}

/**
 * A pino logger for the stand-in that counts its webhook log lines instead of printing them.
 * The counts come from the sender itself, so they say what was really injected, not what the
 * configured probabilities would suggest.
 */
export function webhookLogCounter(): { logger: Logger; figures: WebhookFigures } {
  const figures: WebhookFigures = {
    delivered: 0,
    duplicated: 0,
    dropped: 0,
    heldBack: 0,
    failedAttempts: 0,
    serverErrors: 0,
    serverErrorSamples: [],
  };
  const destination = {
    write(line: string) {
      const entry = JSON.parse(line) as { msg?: string; fault?: string; status?: number | null; error?: string };
      if (entry.fault === 'duplicate') figures.duplicated += 1;
      else if (entry.fault === 'drop') figures.dropped += 1;
      else if (entry.fault === 'reorder') figures.heldBack += 1;
      else if (entry.msg === 'webhook delivered') figures.delivered += 1;
      else if (entry.msg === 'webhook attempt failed, will retry' && !entry.error?.includes('dropped by WEBHOOK_FAULTS')) {
        figures.failedAttempts += 1;
        if (typeof entry.status === 'number' && entry.status >= 500) {
          figures.serverErrors += 1;
          if (figures.serverErrorSamples.length < 10) figures.serverErrorSamples.push(`webhook answered ${entry.status}: ${entry.error ?? ''}`);
        }
      }
    },
  };
  return { logger: pino({ level: 'info' }, destination), figures };
}
