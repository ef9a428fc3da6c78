/**
 * Vitest global setup of the "postgres" projects: one throwaway PostgreSQL server for the whole
 * run, stopped and deleted at the end whether tests passed or failed. If no server can be
 * started, the run fails here, saying why; it never falls back to skipping.
 */
import type { TestProject } from 'vitest/node';
import { startPostgresServer } from './postgres-server';

declare module 'vitest' {
  export interface ProvidedContext {
    expectationsPostgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer();
  project.provide('expectationsPostgresUrl', server.url);
  return () => server.stop();
}
