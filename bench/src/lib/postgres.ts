import { createTempDatabaseUrl, startPostgresServer, type PostgresServer } from '@expectations/db/testing';

/**
 * A throwaway PostgreSQL server for the benchmarks, started for the run and removed after it.
 * Durable (fsync on), as production runs: the ingestion figures are for writes that survive.
 */
export async function withPostgres<T>(run: (server: PostgresServer) => Promise<T>): Promise<T> {
  const server = await startPostgresServer({ durable: true });
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

/** A new, empty database on the server: its DATABASE_URL. */
export async function newPostgresDatabase(server: PostgresServer): Promise<string> {
  return (await createTempDatabaseUrl({ dialect: 'postgres', postgresServerUrl: server.url })).url;
}
