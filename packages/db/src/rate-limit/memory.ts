import { checkedPerMinute, type MutationLimiter, type MutationLimiterOptions } from './types';

/**
 * The buckets in this process's memory: right for SQLite, where one API process serves the
 * database. Buckets that have refilled completely are forgotten, so memory follows the number of
 * users who changed something within the last minute.
 */
export function createMemoryMutationLimiter(options: MutationLimiterOptions): MutationLimiter {
  const perMinute = checkedPerMinute(options.perMinute);
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
    async take(key) {
      const at = now();
      sweep(at);
      const bucket = buckets.get(key) ?? { tokens: perMinute, at };
      const tokens = Math.min(perMinute, bucket.tokens + (at - bucket.at) * refillPerMs);
      if (tokens < 1) return Math.ceil((1 - tokens) / refillPerMs);
      buckets.set(key, { tokens: tokens - 1, at });
      return null;
    },
  };
}
