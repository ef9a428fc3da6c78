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
