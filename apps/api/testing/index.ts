/**
 * What tests and tools outside this package need to drive the API as Clerk and Svix would: the
 * API as a child process, Clerk-style session tokens, Svix-signed deliveries, a valid config.
 */
export * from './api-process';
export * from './built-app';
export * from './clerk-fixtures';
export * from './session-tokens';
export * from './test-config';
export * from './webhook-signing';
export * from './mirror-audit-process';
/** How often forged key ids may make the API fetch Clerk's JWKS at most: tests bound the fetches by it. */
export { JWKS_REFRESH_COOLDOWN_MS } from '../src/clerk-jwks';
