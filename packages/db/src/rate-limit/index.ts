import type { Database } from '../database';
import { internalsOf } from '../internals';
import { createMemoryMutationLimiter } from './memory';
import { createPostgresMutationLimiter } from './postgres';
import type { MutationLimiter, MutationLimiterOptions } from './types';

export type { MutationLimiter, MutationLimiterOptions } from './types';

/**
 * The per-user limit on changes for the API on `db`: in this process's memory on SQLite (one
 * API process), in the database on PostgreSQL, so that all replicas share it.
 */
export function createMutationLimiter(db: Database, options: MutationLimiterOptions): MutationLimiter {
  const internals = internalsOf(db);
  return internals.dialect === 'sqlite' ? createMemoryMutationLimiter(options) : createPostgresMutationLimiter(internals, options);
}
