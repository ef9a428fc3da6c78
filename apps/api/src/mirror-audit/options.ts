import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { clerkApiUrl } from '../config';
import { AuditCannotRunError } from './errors';

export interface AuditOptions {
  databaseUrl: string;
  clerkSecretKey: string;
  clerkApiUrl: string;
  json: boolean;
  resync: boolean;
  /** How long `--resync` waits for the webhooks, at most. */
  waitSeconds: number;
  help: boolean;
}

export const USAGE = `Usage: pnpm --dir apps/api mirror:audit [--json] [--resync] [--wait-seconds N]   (from the repository's root)

Compares Clerk's users, organizations and memberships with their mirror and reports drift:
missing (in Clerk, not in the mirror), stale (Clerk's updated_at is newer) and ghosts (live in
the mirror, gone from Clerk).

  --json            print one JSON object on stdout: the users' { checked, missing, stale, ghosts }
                    with organizations: { … } and memberships: { … } of the same shape
  --resync          ask Clerk to send a fresh user.updated, organization.updated or
                    organizationMembership.updated for every missing or stale one, wait for the
                    webhook to apply them, and report what is still open
  --wait-seconds N  how long --resync waits for the webhooks (default 120)

Environment: DATABASE_URL (the API's database: a SQLite file, or postgres://…), CLERK_SECRET_KEY, CLERK_API_URL (default
https://api.clerk.com). Exit status: 0 no drift, 1 drift found, 2 could not run.`;

const envSchema = z.object({
  DATABASE_URL: z.string().min(1).default('file:.data/expectations.db'),
  CLERK_SECRET_KEY: z.string({ error: 'is required (the sk_… key of the Clerk instance)' }).min(1, 'is required'),
  CLERK_API_URL: clerkApiUrl,
});

/**
 * Reads the command line and the environment. A relative SQLite path is resolved from where
 * pnpm was started (INIT_CWD), not from apps/api where the script runs.
 */
export function parseAuditOptions(argv: string[], env: Record<string, string | undefined>): AuditOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        resync: { type: 'boolean', default: false },
        'wait-seconds': { type: 'string', default: '120' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new AuditCannotRunError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const waitSeconds = Number(values['wait-seconds']);
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > 86_400) {
    throw new AuditCannotRunError('--wait-seconds must be a whole number of seconds between 0 and 86400.');
  }
  const help = values.help ?? false;
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success && !help) {
    const problems = parsed.error.issues.map((issue) => `  ${String(issue.path[0])}: ${issue.message}`);
    throw new AuditCannotRunError(`the environment is incomplete:\n${problems.join('\n')}`);
  }
  return {
    databaseUrl: parsed.success ? resolveSqliteUrl(parsed.data.DATABASE_URL, env.INIT_CWD ?? process.cwd()) : '',
    clerkSecretKey: parsed.success ? parsed.data.CLERK_SECRET_KEY : '',
    clerkApiUrl: parsed.success ? parsed.data.CLERK_API_URL : '',
    json: values.json ?? false,
    resync: values.resync ?? false,
    waitSeconds,
    help,
  };
}

function resolveSqliteUrl(url: string, base: string): string {
  if (/^postgres(ql)?:\/\//.test(url)) return url;
  const path = url.startsWith('file:') ? url.slice('file:'.length) : url;
  return path === ':memory:' || isAbsolute(path) ? url : `file:${resolve(base, path)}`;
}
