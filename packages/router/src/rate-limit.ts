/**
 * Per-user limit on changes: a token bucket per Clerk user that holds `perMinute` tokens and
 * refills continuously, so a burst of `perMinute` is allowed and then one change per
 * `60 s / perMinute`. Buckets that have refilled completely are forgotten, so memory follows
 * the number of users who changed something within the last minute.
 */
export interface RateLimiter {
  /** Takes one token for `key`: null when allowed, else the milliseconds until one is free. */
  take(key: string): number | null;
  readonly perMinute: number;
}

export function createRateLimiter(options: { perMinute: number; now?: () => number }): RateLimiter {
  const { perMinute } = options;
  if (!Number.isInteger(perMinute) || perMinute < 1) throw new RangeError(`perMinute must be a positive integer, got ${perMinute}`);
  const now = options.now ?? Date.now;
  const refillPerMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastSweep = now();

  function sweep(at: number) {
    if (at - lastSweep < 60_000) return;
    lastSweep = at;
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (at - bucket.at) * refillPerMs >= perMinute) buckets.delete(key);
    }
  }

  return {
    perMinute,
    take(key) {
      const at = now();
      sweep(at);
      const bucket = buckets.get(key) ?? { tokens: perMinute, at };
      const tokens = Math.min(perMinute, bucket.tokens + (at - bucket.at) * refillPerMs);
      if (tokens < 1) {
        buckets.set(key, { tokens, at });
        return Math.ceil((1 - tokens) / refillPerMs);
      }
      buckets.set(key, { tokens: tokens - 1, at });
      return null;
    },
  };
}
