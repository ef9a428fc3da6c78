import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { buildApp, startBuiltApp, type BuiltApp } from '../testing/built-app';
import { testEnv } from '../testing/test-config';
import { newSigningSecret } from '../testing/webhook-signing';

const apiDir = fileURLToPath(new URL('../', import.meta.url));

let built: BuiltApp;
let dataDir: string;

beforeAll(() => {
  built = buildApp(apiDir);
  dataDir = mkdtempSync(join(tmpdir(), 'expectations-built-api-'));
}, 60_000);

afterAll(() => {
  built?.remove();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the production build of the API', () => {
  it('is plain JavaScript that node starts alone, migrating its database from the migrations beside it', async () => {
    // No TypeScript anywhere in what runs: the bundle imports only node's own modules and the
    // native SQLite driver.
    const bundle = readFileSync(built.main, 'utf8');
    const imports = [...bundle.matchAll(/^import .* from ["']([^"']+)["'];?$/gm)].map((match) => match[1]);
    expect(new Set(imports.filter((name) => !name!.startsWith('node:')))).toEqual(new Set(['better-sqlite3']));

    const databasePath = join(dataDir, 'api.db');
    const api = await startBuiltApp(built.main, testEnv({ DATABASE_URL: `file:${databasePath}`, CLERK_WEBHOOK_SIGNING_SECRET: newSigningSecret(), LOG_LEVEL: 'info' }), apiDir);
    try {
      expect(api.child.spawnargs).toEqual([process.execPath, built.main]);
      const health = await fetch(`${api.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      // The read path answers too: a query without a session is refused by the router.
      const unauthorized = await fetch(`${api.url}/trpc/expectations.list`);
      expect(unauthorized.status).toBe(401);
    } finally {
      await api.stop();
    }
    // Read with the SQLite driver alone: the schema came from the migrations beside the bundle.
    const sqlite = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
    try {
      const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['users', 'expectations', 'webhook_events']));
    } finally {
      sqlite.close();
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
