import { loadConfig, type Config } from '../src/config';

/** A publishable key of Clerk's format for a development instance (base64 of its host + '$'). */
export const testPublishableKey = `pk_test_${Buffer.from('local.clerk.accounts.dev$').toString('base64')}`;

/**
 * The environment a test API runs with: everything Clerk needs, pointed at a temp database. No
 * publishable key: the API does not need one.
 */
export function testEnv(overrides: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    CLERK_SECRET_KEY: 'sk_test_not_used_offline',
    WEB_ORIGIN: 'http://127.0.0.1:5173',
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string>): Config {
  return loadConfig(testEnv(overrides));
}
