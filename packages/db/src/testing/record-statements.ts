import type { Database } from '../database';
import { internalsOf } from '../internals';

export interface ExecutedStatement {
  sql: string;
  params: unknown[];
}

const executingMethods = new Set<PropertyKey>(['all', 'get', 'run', 'iterate']);

/**
 * Records every statement executed on the query connection from now on (not merely prepared:
 * the read path reuses prepared statements, so counting `prepare` calls would miss repeats).
 * Start it on a fresh database, before the first query: on SQLite, statements prepared earlier
 * are cached per connection and would run unrecorded.
 */
export function recordStatements(db: Database): { executed: ExecutedStatement[]; stop(): void } {
  const internals = internalsOf(db);
  const executed: ExecutedStatement[] = [];
  if (internals.dialect === 'postgres') {
    const { pool } = internals;
    const originalQuery = pool.query;
    pool.query = function query(this: typeof pool, ...args: unknown[]) {
      const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
      if (typeof first === 'string') executed.push({ sql: first, params: Array.isArray(second) ? second : [] });
      else executed.push({ sql: first.text, params: first.values ?? (Array.isArray(second) ? second : []) });
      return (originalQuery as (...a: unknown[]) => unknown).apply(pool, args);
    } as typeof pool.query;
    return { executed, stop: () => void (pool.query = originalQuery) };
  }

  const sqlite = internals.queries.$client;
  const originalPrepare = sqlite.prepare;
  sqlite.prepare = function prepare(source: string) {
    const statement = originalPrepare.call(sqlite, source);
    const recorded: typeof statement = new Proxy(statement, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (executingMethods.has(property)) executed.push({ sql: source, params: args });
          const result: unknown = value.apply(target, args);
          // raw(), pluck() and friends return the statement itself: keep recording through it.
          return result === target ? recorded : result;
        };
      },
    });
    return recorded;
  } as typeof sqlite.prepare;
  return {
    executed,
    stop: () => {
      sqlite.prepare = originalPrepare;
    },
  };
}
