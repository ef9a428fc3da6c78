/**
 * Per-user limit on changes: a token bucket per key that holds `perMinute` tokens and refills
 * continuously, so a burst of `perMinute` is allowed and then one change per `60 s / perMinute`.
 */
export interface MutationLimiter {
  /** Takes one token for `key`: null when allowed, else the milliseconds until one is free. */
  take(key: string): Promise<number | null>;
  readonly perMinute: number;
}

export interface MutationLimiterOptions {
  perMinute: number;
  /** The clock, epoch ms (tests). Default: this process's on SQLite, the database server's on PostgreSQL. */
  now?: () => number;
}

export function checkedPerMinute(perMinute: number): number {
  if (!Number.isInteger(perMinute) || perMinute < 1) throw new RangeError(`perMinute must be a positive integer, got ${perMinute}`);
  return perMinute;
}
