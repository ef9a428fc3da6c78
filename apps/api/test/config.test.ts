import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';
import { testEnv, testPublishableKey } from '../testing/test-config';
import { newSigningSecret } from '../testing/webhook-signing';

const env = (overrides: Record<string, string> = {}) => testEnv({ CLERK_WEBHOOK_SIGNING_SECRET: newSigningSecret(), ...overrides });
const problemsOf = (overrides: Record<string, string>) => {
  try {
    loadConfig(env(overrides));
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return null;
};

describe('CLERK_PUBLISHABLE_KEY', () => {
  it('is not needed: the API verifies session tokens without it', () => {
    expect(env()).not.toHaveProperty('CLERK_PUBLISHABLE_KEY');
    expect(loadConfig(env()).CLERK_PUBLISHABLE_KEY).toBeUndefined();
  });

  it('is accepted when it belongs to the secret key’s environment', () => {
    expect(loadConfig(env({ CLERK_PUBLISHABLE_KEY: testPublishableKey })).CLERK_PUBLISHABLE_KEY).toBe(testPublishableKey);
  });

  it('is refused, by name, when malformed', () => {
    expect(problemsOf({ CLERK_PUBLISHABLE_KEY: 'pk_test_bm90LWEtaG9zdA==' })).toMatch(/CLERK_PUBLISHABLE_KEY: must be pk_test_/);
  });

  it('is refused when it is a live key beside a test secret key, or the other way round', () => {
    const liveKey = testPublishableKey.replace('pk_test_', 'pk_live_');
    expect(problemsOf({ CLERK_PUBLISHABLE_KEY: liveKey, CLERK_SECRET_KEY: 'sk_test_abc' })).toContain(
      'CLERK_PUBLISHABLE_KEY: is a live key but CLERK_SECRET_KEY is a test key: both must come from the same Clerk instance',
    );
    expect(problemsOf({ CLERK_PUBLISHABLE_KEY: testPublishableKey, CLERK_SECRET_KEY: 'sk_live_abc' })).toContain('is a test key but CLERK_SECRET_KEY is a live key');
    expect(problemsOf({ CLERK_PUBLISHABLE_KEY: liveKey, CLERK_SECRET_KEY: 'sk_live_abc' })).toBeNull();
  });
});

describe('MIRROR_WRITER_DATABASE_URL', () => {
  const postgres = 'postgres://expectations_app:secret@db.internal:5432/expectations';
  const owner = 'postgres://expectations_owner:secret@db.internal:5432/expectations';

  it('is optional, and taken beside a PostgreSQL DATABASE_URL', () => {
    expect(loadConfig(env({ DATABASE_URL: postgres })).MIRROR_WRITER_DATABASE_URL).toBeUndefined();
    expect(loadConfig(env({ DATABASE_URL: postgres, MIRROR_WRITER_DATABASE_URL: owner })).MIRROR_WRITER_DATABASE_URL).toBe(owner);
  });

  it('is refused, by name, beside a SQLite DATABASE_URL', () => {
    expect(problemsOf({ DATABASE_URL: 'file:.data/x.db', MIRROR_WRITER_DATABASE_URL: owner })).toMatch(
      /MIRROR_WRITER_DATABASE_URL: is set but DATABASE_URL names a SQLite file: a role of its own for the mirror writer exists only on PostgreSQL/,
    );
  });

  it('is refused, by name and without its password, when it is not a PostgreSQL URL', () => {
    expect(problemsOf({ DATABASE_URL: postgres, MIRROR_WRITER_DATABASE_URL: 'file:.data/x.db' })).toMatch(/MIRROR_WRITER_DATABASE_URL: must be a postgres:\/\/… URL/);
    const problems = problemsOf({ DATABASE_URL: postgres, MIRROR_WRITER_DATABASE_URL: 'postgres://owner:secret@db.internal:5432/' });
    expect(problems).toMatch(/MIRROR_WRITER_DATABASE_URL: names no database/);
    expect(problems).not.toContain('secret');
  });
});
