import type { PostgresInternals } from '../internals';
import { checkedPerMinute, type MutationLimiter, type MutationLimiterOptions } from './types';

// The same token bucket as memory.ts, kept in the `mutation_rate_limits` table so that every
// replica draws from one bucket per user. One statement takes a token atomically: the upsert
// locks the user's row, so concurrent takes on several replicas queue on it and none is lost.
// Our own table rather than a library's store: it keeps the bucket's semantics identical on both
// engines, and its schema lives in the committed migrations instead of being created at run time.
const TAKE = `
  INSERT INTO mutation_rate_limits AS bucket (key, tokens, updated_at)
  VALUES ($1, $2::float8 - 1, COALESCE($4::bigint, (extract(epoch FROM clock_timestamp()) * 1000)::bigint))
  ON CONFLICT (key) DO UPDATE
    SET tokens = LEAST($2::float8, bucket.tokens + (excluded.updated_at - bucket.updated_at) * $3::float8) - 1,
        updated_at = excluded.updated_at
    WHERE LEAST($2::float8, bucket.tokens + (excluded.updated_at - bucket.updated_at) * $3::float8) >= 1
  RETURNING tokens`;

const TOKENS_NOW = `
  SELECT LEAST($2::float8, tokens + (COALESCE($4::bigint, (extract(epoch FROM clock_timestamp()) * 1000)::bigint) - updated_at) * $3::float8) AS tokens
  FROM mutation_rate_limits WHERE key = $1`;

/** Forgets users whose bucket is full again: they would start from a full bucket anyway. */
const SWEEP = `
  DELETE FROM mutation_rate_limits
  WHERE tokens + ((extract(epoch FROM clock_timestamp()) * 1000)::bigint - updated_at) * $2::float8 >= $1::float8`;

/**
 * The buckets in PostgreSQL, shared by every replica. Times come from the database server's
 * clock unless a clock is given, so replicas whose clocks differ still agree.
 */
export function createPostgresMutationLimiter({ pool }: PostgresInternals, options: MutationLimiterOptions): MutationLimiter {
  const perMinute = checkedPerMinute(options.perMinute);
  const refillPerMs = perMinute / 60_000;
  let lastSweep = Date.now();
  return {
    perMinute,
    async take(key) {
      const at = options.now?.() ?? null;
      if (Date.now() - lastSweep >= 60_000) {
        lastSweep = Date.now();
        await pool.query(SWEEP, [perMinute, refillPerMs]);
      }
      const parameters = [key, perMinute, refillPerMs, at];
      const taken = await pool.query({ name: 'rate.take', text: TAKE, values: parameters });
      if (taken.rowCount === 1) return null;
      const { rows } = await pool.query<{ tokens: number }>({ name: 'rate.tokens', text: TOKENS_NOW, values: parameters });
      const tokens = rows[0]?.tokens ?? 0;
      return Math.max(1, Math.ceil((1 - tokens) / refillPerMs));
    },
  };
}
