import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigningKey, newSigningSecret, testEnv, type SigningKey } from '@expectations/api/testing';

export const WEB_ORIGIN = 'http://127.0.0.1:5173';

/** The Clerk instance a benchmark plays: its session-token key and its webhook secret. */
export interface BenchKeys {
  sessionKey: SigningKey;
  signingSecret: string;
}

export function newBenchKeys(): BenchKeys {
  return { sessionKey: createSigningKey(), signingSecret: newSigningSecret() };
}

const tempDirs: string[] = [];
// The suites' databases reach hundreds of MiB (a million rows in growth); each suite stops its
// servers before it returns, so by exit nothing has them open.
process.once('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the benchmark process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `expectations-bench-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** Makes a fresh, empty database for one suite and returns its DATABASE_URL. */
export type NewDatabase = (name: string) => Promise<string>;

/** SQLite files in a temporary folder: the default engine of every suite. */
export const newSqliteDatabase: NewDatabase = async (name) => `file:${join(tempDir(name), `${name}.db`)}`;

/** The API's environment as production would set it, pointed at a fresh database. */
export function apiEnv(databaseUrl: string, keys: BenchKeys): Record<string, string> {
  return testEnv({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    CLERK_JWT_KEY: keys.sessionKey.publicKeyPem,
    CLERK_WEBHOOK_SIGNING_SECRET: keys.signingSecret,
    WEB_ORIGIN,
  });
}
