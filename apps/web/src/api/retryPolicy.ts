import type { Query } from '@tanstack/react-query';
import { isTransient } from './errors';

/** Retries within one read before its screen shows what failed. */
const READ_RETRIES = 2;

/**
 * `ms` spread at random over its upper half: browsers that failed together (the API restarting,
 * a network blip) do not all ask again in the same instant, and none waits longer than `ms`.
 */
export function spread(ms: number, random: () => number = Math.random): number {
  return Math.round(ms / 2 + (random() * ms) / 2);
}

/**
 * Up to 0.5 s, then up to 1 s: a blip is absorbed before anyone sees an error, and a real outage
 * is said within seconds (the screen then says it keeps trying, further apart).
 */
export function readRetryDelay(attempt: number): number {
  return spread(Math.min(500 * 2 ** attempt, 4000));
}

export function shouldRetryRead(failureCount: number, error: unknown): boolean {
  // A 4xx will not change by asking again; a dropped connection or a 5xx might.
  return failureCount < READ_RETRIES && isTransient(error);
}

/** After a read has failed `failedReads` times in a row: up to 2 s, 4 s, 8 s … up to 30 s. */
export function recoveryDelay(failedReads: number, random: () => number = Math.random): number {
  return spread(Math.min(2000 * 2 ** Math.max(0, failedReads - 1), 30_000), random);
}

/**
 * A read that failed for a reason that may pass (no answer, a 5xx) keeps asking in the
 * background, further apart each time, so its screen recovers by itself once the API is back.
 */
export function refetchWhileUnavailable(query: Query): number | false {
  const { status, error, errorUpdateCount } = query.state;
  if (status !== 'error' || !isTransient(error)) return false;
  return recoveryDelay(errorUpdateCount);
}
