import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_POOL_SIZE, parseDatabaseUrl, parseMirrorWriterUrl } from '@expectations/db';

/** A configuration problem that names the variable to fix. The process must not start. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const publishableKey = z
  .string()
  .regex(/^pk_(test|live)_[A-Za-z0-9+/=]+$/, 'must look like pk_test_… or pk_live_…')
  .refine((key) => {
    const host = Buffer.from(key.replace(/^pk_(test|live)_/, ''), 'base64').toString('utf8');
    return /^[a-z0-9.-]+\$$/i.test(host);
  }, 'must be pk_test_/pk_live_ followed by the base64 of the Frontend API host and "$"');

const pemPublicKey = z
  .string()
  .transform((value) => value.replace(/\\n/g, '\n').trim())
  .refine((pem) => {
    try {
      const key = createPublicKey(pem);
      return key.asymmetricKeyType === 'rsa';
    } catch {
      return false;
    }
  }, 'must be a PEM RSA public key (-----BEGIN PUBLIC KEY-----…), as shown in Clerk’s dashboard');

const origins = z
  .string()
  .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
  .pipe(
    z
      .array(
        z.string().refine((origin) => {
          try {
            return new URL(origin).origin === origin;
          } catch {
            return false;
          }
        }, 'each origin must be scheme://host[:port] with no path or trailing slash'),
      )
      .min(1, 'must name at least one origin'),
  );

/** Clerk's Backend API base URL: Clerk's own unless a stand-in or proxy is in front (no trailing slash). */
export const clerkApiUrl = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL such as https://api.clerk.com' })
  .refine((value) => {
    const url = URL.parse(value); // null when not a URL at all: the check above says so
    return url === null || (url.username === '' && url.password === '');
  }, 'must not carry a user name or password (the secret key authenticates)')
  .transform((value) => value.replace(/\/+$/, ''))
  .default('https://api.clerk.com');

const envSchema = z.object({
  /**
   * Unset means production. Only an explicit `development` sends internal errors' own messages
   * and stack traces to clients (`npm run dev` asks for it): they can name SQL, files and data.
   */
  NODE_ENV: z.enum(['development', 'test', 'production']).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .min(1)
    .default('file:.data/expectations.db')
    .superRefine((url, ctx) => {
      try {
        parseDatabaseUrl(url);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^DATABASE_URL /, '') });
      }
    }),
  /**
   * PostgreSQL only: the role that owns the schema and alone writes the mirror (the webhook and
   * migrations); DATABASE_URL's role then gets only SELECT on mirrored tables. Checked against
   * DATABASE_URL below.
   */
  MIRROR_WRITER_DATABASE_URL: z.string().min(1).optional(),
  /** PostgreSQL connections this process keeps at most; ignored on SQLite. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(DEFAULT_POOL_SIZE),
  /**
   * Not needed by the API, which verifies session tokens with CLERK_JWT_KEY (or Clerk's JWKS,
   * fetched with the secret key) and never talks to the Frontend API. Accepted, so that one
   * environment can serve the SPA's build and the API, and checked when set: a malformed key, or
   * one of another environment than the secret key, means keys from two Clerk instances.
   */
  CLERK_PUBLISHABLE_KEY: publishableKey.optional(),
  CLERK_SECRET_KEY: z.string().min(1, 'must be set (the sk_… key of the Clerk instance)'),
  CLERK_API_URL: clerkApiUrl,
  CLERK_JWT_KEY: pemPublicKey.optional(),
  CLERK_WEBHOOK_SIGNING_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be the whsec_… signing secret of the webhook endpoint'),
  WEB_ORIGIN: origins.default(['http://localhost:5173']),
  /** Changes (tRPC mutations) one user may make per minute before 429 TOO_MANY_REQUESTS. */
  MUTATION_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `off` removes GET /metrics and the counting behind it. */
  METRICS: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  /**
   * `off` leaves every /trpc request to tRPC's own adapter, which gives the same answers for
   * about 2.6 times the CPU: for comparing the two, in tests and benchmarks, or ruling it out.
   */
  TRPC_QUERY_FAST_PATH: z.enum(['on', 'off']).default('on'),
  WEBHOOK_EVENTS_RETENTION_DAYS: z.coerce.number().int().min(15, 'must be at least 15: Svix redelivers for up to 14 days (recovery), and a redelivery of a pruned message is no longer recognised as a duplicate').max(3650).default(30),
  /**
   * Hours the live feed keeps its events (feed_events): a client resuming (lastEventId) from
   * before that is told to refetch instead of replaying.
   */
  FEED_EVENTS_RETENTION_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(24),
  /**
   * Seconds an open feed.changes stream may go without its client taking any of what was written
   * to it (the socket's buffers full) before the connection is closed: a stalled consumer holds
   * no more than those buffers, and then not at all. Longer than the 10 s between pings.
   */
  FEED_STALL_TIMEOUT_SECONDS: z.coerce.number().int().min(15).max(3600).default(30),
}).superRefine(({ CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY, DATABASE_URL, MIRROR_WRITER_DATABASE_URL }, ctx) => {
  if (MIRROR_WRITER_DATABASE_URL !== undefined) {
    try {
      parseMirrorWriterUrl(MIRROR_WRITER_DATABASE_URL, DATABASE_URL);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['MIRROR_WRITER_DATABASE_URL'], message: (error as Error).message.replace(/^MIRROR_WRITER_DATABASE_URL /, '') });
    }
  }
  const publishable = CLERK_PUBLISHABLE_KEY?.match(/^pk_(test|live)_/)?.[1];
  const secret = CLERK_SECRET_KEY.match(/^sk_(test|live)_/)?.[1];
  if (publishable && secret && publishable !== secret) {
    ctx.addIssue({
      code: 'custom',
      path: ['CLERK_PUBLISHABLE_KEY'],
      message: `is a ${publishable} key but CLERK_SECRET_KEY is a ${secret} key: both must come from the same Clerk instance`,
    });
  }
});

export type Config = z.infer<typeof envSchema>;

/** Parses the environment once. Throws ConfigError naming every missing or malformed variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const emptyAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(emptyAsUnset);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    const detail = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return `  ${name}: ${detail}`;
  });
  throw new ConfigError(`Invalid API configuration:\n${problems.join('\n')}`);
}
