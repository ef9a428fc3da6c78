import { resolve } from 'node:path';
import { z } from 'zod';
import { parseWebhookFaults, WebhookFaultsError, type WebhookFaults } from './webhook-faults';

/** A configuration problem that names the variable to fix. The process must not start. */
export class EmulatorConfigError extends Error {
  override name = 'EmulatorConfigError';
}

/** The stand-in is a development tool: it has no place in a production deployment. */
export class RefusedInProductionError extends Error {
  override name = 'RefusedInProductionError';
  constructor() {
    super(
      'The local Clerk stand-in refuses to start with NODE_ENV=production. It accepts one fixed email code for ' +
        'every account and exposes an unauthenticated admin API; production must use a real Clerk instance ' +
        '(see docs/clerk-emulator.md, "Running against real Clerk").',
    );
  }
}

export function assertNotProduction(env: Record<string, string | undefined> = process.env): void {
  if (env.NODE_ENV === 'production') throw new RefusedInProductionError();
}

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'each origin must be scheme://host[:port] with no path or trailing slash');

const httpUrl = (what: string) =>
  z.string().refine((value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be an absolute http(s) URL (${what})`);

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  // Loopback only by default: the admin API signs anyone in, so it must not face a network.
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: httpUrl('the address browsers use to reach the stand-in').optional(),
  // Several API replicas: a comma-separated list, delivered to round-robin.
  WEBHOOK_URL: z
    .string()
    .default('http://localhost:3001/api/webhooks/clerk')
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .pipe(z.array(httpUrl('where webhooks are posted; several, comma-separated, are used in turn')).min(1, 'must name at least one URL'))
    .transform((urls) => urls.join(',')),
  DATA_DIR: z.string().min(1).default('.data/clerk-emulator'),
  WEBHOOK_FAULTS: z.string().optional(),
  // Unset: never give a message up (see webhook-sender.ts). Svix's own count is 8.
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1, 'must be a whole number of attempts, at least 1').optional(),
  // Clerk allows development instances 100 Backend API requests per 10 s (production: 1000). 0: no limit.
  BAPI_RATE_LIMIT: z.coerce.number().int().min(0, 'must be a whole number of requests per 10 s (0: no limit)').default(100),
  ALLOWED_ORIGINS: z
    .string()
    .default('http://localhost:5173')
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .pipe(z.array(origin).min(1, 'must name at least one origin')),
  // Clerk's tokens live 60 s; a shorter life makes clerk-js refresh them sooner (tests of the refresh).
  SESSION_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().min(20).max(3600).default(60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface EmulatorEnv {
  port: number;
  host: string;
  /** The base URL browsers and token verifiers see (the tokens' `iss`). */
  publicUrl: string | undefined;
  webhookUrl: string;
  /** Absolute path of the data folder. */
  dataDir: string;
  webhookFaults: WebhookFaults;
  /** Attempts before a message is given up; null: never. */
  webhookMaxAttempts: number | null;
  /** Backend API requests allowed per 10 s; null: no limit. */
  bapiRateLimit: number | null;
  allowedOrigins: string[];
  sessionTokenLifetimeSeconds: number;
  logLevel: string;
}

/**
 * Parses the environment once. Throws RefusedInProductionError under NODE_ENV=production and
 * EmulatorConfigError naming every malformed variable.
 */
export function loadEmulatorEnv(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): EmulatorEnv {
  assertNotProduction(env);
  const emptyAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(emptyAsUnset);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${String(issue.path[0] ?? 'environment')}: ${issue.message}`);
    throw new EmulatorConfigError(`Invalid Clerk stand-in configuration:\n${problems.join('\n')}`);
  }
  let webhookFaults: WebhookFaults;
  try {
    webhookFaults = parseWebhookFaults(result.data.WEBHOOK_FAULTS);
  } catch (error) {
    if (error instanceof WebhookFaultsError) throw new EmulatorConfigError(`Invalid Clerk stand-in configuration:\n  ${error.message}`);
    throw error;
  }
  const data = result.data;
  return {
    port: data.PORT,
    host: data.HOST,
    publicUrl: data.PUBLIC_URL?.replace(/\/+$/, ''),
    webhookUrl: data.WEBHOOK_URL,
    dataDir: resolve(cwd, data.DATA_DIR),
    webhookFaults,
    webhookMaxAttempts: data.WEBHOOK_MAX_ATTEMPTS ?? null,
    bapiRateLimit: data.BAPI_RATE_LIMIT === 0 ? null : data.BAPI_RATE_LIMIT,
    allowedOrigins: data.ALLOWED_ORIGINS,
    sessionTokenLifetimeSeconds: data.SESSION_TOKEN_LIFETIME_SECONDS,
    logLevel: data.LOG_LEVEL,
  };
}
