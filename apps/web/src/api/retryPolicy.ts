import type { Query } from '@tanstack/react-query';
import { isTransient } from './errors';

/** Retries within one read before its screen shows what failed. */
const READ_RETRIES = 2;

/**
 * 0.5 s, then 1 s: a blip is absorbed before anyone sees an error, and a real outage is said
 * within seconds (the screen then says it keeps trying, further apart).
 */
export function readRetryDelay(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 4000);
}

export function shouldRetryRead(failureCount: number, error: unknown): boolean {
  // A 4xx will not change by asking again; a dropped connection or a 5xx might.
  return failureCount < READ_RETRIES && isTransient(error);
}

/** After a read has failed `failedReads` times in a row: 2 s, 4 s, 8 s … up to 30 s. */
export function recoveryDelay(failedReads: number): number {
  return Math.min(2000 * 2 ** Math.max(0, failedReads - 1), 30_000);
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
