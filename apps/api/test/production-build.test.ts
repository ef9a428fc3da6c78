import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@expectations/db';
import { createTempDatabaseUrl, sqlRows, testDialect, type TempDatabaseUrl } from '@expectations/db/testing';
import { buildApp, startBuiltApp, type BuiltApp } from '../testing/built-app';
import { testEnv } from '../testing/test-config';
import { newSigningSecret } from '../testing/webhook-signing';

const apiDir = fileURLToPath(new URL('../', import.meta.url));

let built: BuiltApp;
let dataDir: string;
let database: TempDatabaseUrl;

beforeAll(async () => {
  built = buildApp(apiDir);
  dataDir = mkdtempSync(join(tmpdir(), 'expectations-built-api-'));
  database = await createTempDatabaseUrl();
}, 60_000);

afterAll(async () => {
  built?.remove();
  rmSync(dataDir, { recursive: true, force: true });
  await database?.destroy();
});

describe('the production build of the API', () => {
  it(`is plain JavaScript that node starts alone on ${testDialect()}, migrating its database from the migrations beside it`, async () => {
    // No TypeScript anywhere in what runs: the bundle imports only node's own modules and the
    // native SQLite driver; the PostgreSQL driver is inside it, and never asks for pg-native.
    const bundle = readFileSync(built.main, 'utf8');
    const imports = [...bundle.matchAll(/^import .* from ["']([^"']+)["'];?$/gm)].map((match) => match[1]);
    expect(new Set(imports.filter((name) => !name!.startsWith('node:')))).toEqual(new Set(['better-sqlite3']));
    // Both engines' migrations travel with the bundle, whichever DATABASE_URL will name.
    expect(readdirSync(join(built.dir, 'migrations')).sort()).toEqual(['postgres', 'sqlite']);

    const api = await startBuiltApp(built.main, testEnv({ DATABASE_URL: database.url, CLERK_WEBHOOK_SIGNING_SECRET: newSigningSecret(), LOG_LEVEL: 'info' }), apiDir);
    try {
      expect(api.child.spawnargs).toEqual([process.execPath, built.main]);
      const health = await fetch(`${api.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      // The read path answers too: a query without a session is refused by the router.
      const unauthorized = await fetch(`${api.url}/trpc/expectations.list`);
      expect(unauthorized.status).toBe(401);
      // And the metrics, which read the mirror's counts from the database at each scrape.
      const metrics = await (await fetch(`${api.url}/metrics`)).text();
      expect(metrics).toContain('expectations_mirror_users{state="live"} 0');
    } finally {
      await api.stop();
    }
    // Opened without migrating: the schema came from the migrations beside the bundle.
    const db = await openDatabase(database.url, { migrate: false });
    try {
      for (const table of ['users', 'expectations', 'webhook_events']) expect(await sqlRows(db, `SELECT 1 FROM ${table} LIMIT 1`)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('stops at start with exit code 78 on a configuration it cannot use', () => {
    const run = spawnSync(process.execPath, [built.main], {
      cwd: apiDir,
      env: { PATH: process.env.PATH ?? '', ...testEnv({ DATABASE_URL: `file:${join(dataDir, 'never.db')}`, CLERK_WEBHOOK_SIGNING_SECRET: 'not-a-secret' }) },
      encoding: 'utf8',
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('CLERK_WEBHOOK_SIGNING_SECRET');
  });
});
