import { createHash, randomInt } from 'node:crypto';

/**
 * Faults that Svix produces in real life, on demand. Probabilities are per attempt (reorder:
 * per message); a seed makes every decision reproducible for the same sequence of changes.
 */
export interface WebhookFaults {
  /** Probability that an attempt is delivered twice (same message id, same body). */
  duplicate: number;
  /** Probability that an attempt is not sent at all; it counts as failed and is retried. */
  drop: number;
  /** Probability that a message is held back so that later messages overtake it. */
  reorder: number;
  /** Each attempt waits a random extra delay up to this many milliseconds. */
  delayMs: number;
  seed: number;
}

export const NO_FAULTS: WebhookFaults = Object.freeze({ duplicate: 0, drop: 0, reorder: 0, delayMs: 0, seed: 0 });

export class WebhookFaultsError extends Error {
  override name = 'WebhookFaultsError';
}

const EXAMPLE = 'duplicate=0.3,drop=0.3,reorder=0.3,delay_ms=200,seed=42';

/** Parses `WEBHOOK_FAULTS`, e.g. `duplicate=0.3,drop=0.3,reorder=0.3,delay_ms=200,seed=42`. */
export function parseWebhookFaults(text: string | undefined): WebhookFaults {
  if (text === undefined || text.trim() === '') return { ...NO_FAULTS, seed: randomInt(2 ** 31) };
  const faults: WebhookFaults = { ...NO_FAULTS, seed: Number.NaN };
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const match = /^([a-z_]+)=(.*)$/.exec(item);
    if (!match) throw new WebhookFaultsError(`WEBHOOK_FAULTS: "${item}" is not name=value (example: ${EXAMPLE})`);
    const [, name = '', raw = ''] = match;
    if (seen.has(name)) throw new WebhookFaultsError(`WEBHOOK_FAULTS: "${name}" is given twice`);
    seen.add(name);
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    switch (name) {
      case 'duplicate':
      case 'drop':
      case 'reorder':
        if (!(value >= 0 && value <= 1)) {
          throw new WebhookFaultsError(`WEBHOOK_FAULTS: ${name} must be a probability between 0 and 1, got "${raw}"`);
        }
        if (name === 'drop' && value === 1) {
          throw new WebhookFaultsError('WEBHOOK_FAULTS: drop=1 would drop every attempt forever; use a value below 1');
        }
        faults[name] = value;
        break;
      case 'delay_ms':
        if (!(Number.isInteger(value) && value >= 0 && value <= 60_000)) {
          throw new WebhookFaultsError(`WEBHOOK_FAULTS: delay_ms must be a whole number of milliseconds from 0 to 60000, got "${raw}"`);
        }
        faults.delayMs = value;
        break;
      case 'seed':
        if (!(Number.isSafeInteger(value) && value >= 0)) {
          throw new WebhookFaultsError(`WEBHOOK_FAULTS: seed must be a non-negative whole number, got "${raw}"`);
        }
        faults.seed = value;
        break;
      default:
        throw new WebhookFaultsError(
          `WEBHOOK_FAULTS: unknown fault "${name}"; known: duplicate, drop, reorder, delay_ms, seed (example: ${EXAMPLE})`,
        );
    }
  }
  if (Number.isNaN(faults.seed)) faults.seed = randomInt(2 ** 31);
  return faults;
}

export function hasFaults(faults: WebhookFaults): boolean {
  return faults.duplicate > 0 || faults.drop > 0 || faults.reorder > 0 || faults.delayMs > 0;
}

export type FaultKind = 'duplicate' | 'drop' | 'reorder' | 'delay';

/**
 * A uniform number in [0, 1) drawn from the seed, the message's outbox sequence number, the
 * attempt and the kind of fault. Keyed rather than streamed, so concurrent sends cannot change
 * which attempt gets which fault: the same seed and the same changes give the same faults.
 */
export function faultRoll(seed: number, messageSeq: number, attempt: number, kind: FaultKind): number {
  const digest = createHash('sha256').update(`${seed}:${messageSeq}:${attempt}:${kind}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

export function describeFaults(faults: WebhookFaults): string {
  return `duplicate=${faults.duplicate},drop=${faults.drop},reorder=${faults.reorder},delay_ms=${faults.delayMs},seed=${faults.seed}`;
}
