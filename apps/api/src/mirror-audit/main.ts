/**
 * `pnpm --dir apps/api mirror:audit [--json] [--resync]`: finds drift between Clerk and the
 * mirror of its users, organizations and memberships, and repairs missing and stale ones by
 * having Clerk send the webhook again. It reads the mirror and never writes it. Exit 0: no drift;
 * 1: drift; 2: could not run.
 */
import {
  createMirrorAuditQueries,
  DatabaseConnectionError,
  describePostgresUrl,
  openDatabase,
  parseDatabaseUrl,
  type Database,
  type DatabaseTarget,
  type MirrorAuditQueries,
} from '@expectations/db';
import { auditMirror, resyncMirror } from './audit';
import { mirroredKinds } from './audited-kinds';
import { ClerkDirectory } from './clerk-directory';
import { hasDrift, needsResync } from './compare';
import { AuditCannotRunError } from './errors';
import { parseAuditOptions, USAGE } from './options';
import { terminalProgress } from './progress';
import { jsonReport, textReport } from './report';

const EXIT_CLEAN = 0;
const EXIT_DRIFT = 1;
const EXIT_CANNOT_RUN = 2;

async function main(): Promise<number> {
  const options = parseAuditOptions(process.argv.slice(2), process.env);
  if (options.help) {
    console.log(USAGE);
    return EXIT_CLEAN;
  }
  const { db, mirror } = await openMirror(options.databaseUrl);
  try {
    const clerk = new ClerkDirectory({ secretKey: options.clerkSecretKey, apiUrl: options.clerkApiUrl });
    const kinds = mirroredKinds(clerk, mirror);
    const progress = terminalProgress();
    let result = await auditMirror(kinds, progress);
    if (options.resync && needsResync(result)) {
      result = await resyncMirror(kinds, result, { waitSeconds: options.waitSeconds, progress });
    }
    process.stdout.write(
      options.json ? `${jsonReport(result)}\n` : textReport(result, { clerkApiUrl: options.clerkApiUrl, database: db.location, resynced: options.resync }),
    );
    if (clerk.rateLimitedResponses > 0) {
      process.stderr.write(`(Clerk rate-limited ${clerk.rateLimitedResponses} requests; the audit waited as Retry-After said.)\n`);
    }
    return hasDrift(result) ? EXIT_DRIFT : EXIT_CLEAN;
  } finally {
    await db.close();
  }
}

/**
 * Opens the API's existing database for reading, SQLite or PostgreSQL: never creates one, never
 * migrates one, and names it in errors as `Database.location` does (never with a password).
 */
async function openMirror(databaseUrl: string): Promise<{ db: Database; mirror: MirrorAuditQueries }> {
  let target: DatabaseTarget;
  try {
    target = parseDatabaseUrl(databaseUrl);
  } catch (error) {
    throw new AuditCannotRunError(`${(error as Error).message}.`);
  }
  const where = `the database at ${target.dialect === 'sqlite' ? target.path : describePostgresUrl(target.url)} (DATABASE_URL)`;
  let db: Database | undefined;
  try {
    // PostgreSQL: one connection is all the audit uses at a time; openDatabase never creates a database there.
    db = await openDatabase(databaseUrl, { migrate: false, mustExist: true, poolSize: 2 });
    const mirror = createMirrorAuditQueries(db);
    // A probe: the database must be the API's (it has the users mirror), migrated far enough to
    // mirror organizations and memberships too.
    await mirror.countMirrorUsers();
    await mirror.listLiveMirrorOrganizationIds({ limit: 1 });
    await mirror.listLiveMirrorMemberships({ limit: 1 });
    return { db, mirror };
  } catch (error) {
    await db?.close();
    const reason = rootMessage(error);
    const missingTable = /no such table: (\w+)|relation "(\w+)" does not exist/i.exec(reason);
    const table = missingTable?.[1] ?? missingTable?.[2];
    throw new AuditCannotRunError(
      table === 'users'
        ? `${where} has no users mirror: is DATABASE_URL the API's database, and has the API started on it once?`
        : table !== undefined
          ? `${where} has no ${table} table: the API creates it when it starts (it migrates its database); start this version of the API on it once.`
          : /there is no database/.test(reason)
            ? `${reason} (DATABASE_URL): point it at the API's database file.`
            : error instanceof DatabaseConnectionError
              ? `${reason} (DATABASE_URL): is the server running, and are the database's name and credentials right?`
              : `${where} could not be opened: ${reason}.`,
    );
  }
}

/** The first cause's message: drizzle wraps a driver's error in one that only repeats the SQL. */
function rootMessage(error: unknown): string {
  let root = error;
  while (root instanceof Error && root.cause instanceof Error) root = root.cause;
  return root instanceof Error ? root.message : String(root);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof AuditCannotRunError) {
      process.stderr.write(`mirror:audit could not run: ${error.message}\n`);
    } else {
      // Not a known failure: the stack helps, and carries no secret (the key is never in an error).
      process.stderr.write(`mirror:audit could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = EXIT_CANNOT_RUN;
  },
);
