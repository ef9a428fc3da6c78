import { STAND_IN_PUBLISHABLE_KEY } from '@expectations/clerk-emulator';
import { describe, expect, it } from 'vitest';
import { ClerkBuildConfigError, frontendApiOf, resolveClerkTarget } from '../../config/clerk-target.ts';

const developmentEnv = { VITE_CLERK_PUBLISHABLE_KEY: STAND_IN_PUBLISHABLE_KEY, VITE_CLERK_PROXY_URL: '/__clerk' };
/** A well-formed key of a made-up production instance: base64 of its Frontend API host and `$`. */
const LIVE_KEY = `pk_live_${Buffer.from('clerk.example.com$').toString('base64')}`;

describe('which Clerk a build talks to', () => {
  it('builds for the local stand-in, as the dev server runs, when no key is given', () => {
    const target = resolveClerkTarget({}, developmentEnv);
    expect(target).toMatchObject({ publishableKey: STAND_IN_PUBLISHABLE_KEY, proxyUrl: '/__clerk', standIn: true });
    expect(target.description).toMatch(/local Clerk stand-in.*VITE_CLERK_PUBLISHABLE_KEY is not set/);
  });

  it('builds for a Clerk instance at its own host when its key is given without a proxy', () => {
    const target = resolveClerkTarget({ VITE_CLERK_PUBLISHABLE_KEY: LIVE_KEY }, developmentEnv);
    expect(target).toMatchObject({ publishableKey: LIVE_KEY, proxyUrl: '', standIn: false });
    expect(target.description).toBe('Building the SPA for the Clerk instance clerk.example.com (live key), reached at its own host.');
  });

  it.each([
    ['not a key at all', 'hello'],
    ['a secret key', 'sk_live_abc123'],
    ['a truncated key', 'pk_live_Y2xlcmsuZXhhbXBsZS5jb20'],
    ['a key without its host', `pk_test_${Buffer.from('$').toString('base64')}`],
  ])('refuses %s, naming the variable', (_what, key) => {
    expect(() => resolveClerkTarget({ VITE_CLERK_PUBLISHABLE_KEY: key }, developmentEnv)).toThrow(ClerkBuildConfigError);
    expect(() => resolveClerkTarget({ VITE_CLERK_PUBLISHABLE_KEY: key }, developmentEnv)).toThrow(/VITE_CLERK_PUBLISHABLE_KEY is not a Clerk publishable key/);
  });

  it('says what is missing when neither a key nor the stand-in’s settings are there', () => {
    expect(() => resolveClerkTarget({}, {})).toThrow(/apps\/web\/.env.development/);
  });

  it('reads the Frontend API host out of a publishable key', () => {
    expect(frontendApiOf(STAND_IN_PUBLISHABLE_KEY)).toEqual({ host: 'clerk-stand-in.accounts.dev', environment: 'test' });
    expect(frontendApiOf(LIVE_KEY)).toEqual({ host: 'clerk.example.com', environment: 'live' });
  });
});
