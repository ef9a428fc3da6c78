import { bigint, doublePrecision, pgTable, text } from 'drizzle-orm/pg-core';

/**
 * The mutation rate limit's token buckets, shared by every API replica on this database (on
 * SQLite, with one API process, they live in memory). One row per user who changed something
 * lately; rows that have refilled completely are swept.
 */
export const mutationRateLimits = pgTable('mutation_rate_limits', {
  key: text('key').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  /** Epoch ms of the last take. */
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});
