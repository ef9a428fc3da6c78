import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WEB_ORIGIN = 'http://127.0.0.1:5173';

export interface BenchKeys {
  privateKeyPem: string;
  publicKeyPem: string;
  signingSecret: string;
}

export function generateSessionKeys(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `expectations-bench-${prefix}-`));
}

/** The API's environment as production would set it, pointed at a fresh database file. */
export function apiEnv(databasePath: string, keys: BenchKeys): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DATABASE_URL: `file:${databasePath}`,
    CLERK_PUBLISHABLE_KEY: `pk_test_${Buffer.from('local.clerk.accounts.dev$').toString('base64')}`,
    CLERK_SECRET_KEY: 'sk_test_bench',
    CLERK_JWT_KEY: keys.publicKeyPem,
    CLERK_WEBHOOK_SIGNING_SECRET: keys.signingSecret,
    WEB_ORIGIN,
  };
}
