/**
 * Clerk's SDKs insist on a well-formed publishable key: `pk_test_` and the base64 of the Frontend
 * API host followed by `$`, where the host has a dot and no port. A host under `accounts.dev`
 * (where Clerk's development instances live) puts clerk-js in development mode, keyed by a
 * dev browser token in each request rather than third-party cookies. Nothing ever contacts the
 * host: the SPA gives clerk-js a relative `proxyUrl` (`/__clerk`), which its server forwards to
 * the stand-in, and API requests carry a Bearer token.
 *
 * apps/web/.env.development carries the same key for the SPA's dev server (a test checks it).
 */
export const STAND_IN_FRONTEND_API_HOST = 'clerk-stand-in.accounts.dev';

export const STAND_IN_PUBLISHABLE_KEY = `pk_test_${Buffer.from(`${STAND_IN_FRONTEND_API_HOST}$`, 'utf8').toString('base64')}`;
