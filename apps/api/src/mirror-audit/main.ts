/**
 * `pnpm --filter @expectations/api mirror:audit [--json] [--resync]`: finds drift between Clerk
 * and the users mirror, and repairs missing and stale users by having Clerk send the webhook
 * again. It reads the mirror and never writes it. Exit 0: no drift; 1: drift; 2: could not run.
 */
import { createMirrorAuditQueries, openDatabase, type Database, type MirrorAuditQueries } from '@expectations/db';
import { auditMirror, resyncMirror } from './audit';
import { ClerkDirectory } from './clerk-directory';
import { hasDrift } from './compare';
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
    const progress = terminalProgress();
    let result = await auditMirror(clerk, mirror, progress);
    if (options.resync && result.missing.length + result.stale.length > 0) {
      result = await resyncMirror(clerk, mirror, result, { waitSeconds: options.waitSeconds, progress });
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

/** Opens the API's existing database for reading: never creates one, never migrates one. */
async function openMirror(databaseUrl: string): Promise<{ db: Database; mirror: MirrorAuditQueries }> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AuditCannotRunError('DATABASE_URL names a PostgreSQL database; this version of the audit reads the SQLite mirror only.');
  }
  let db: Database | undefined;
  try {
    db = await openDatabase(databaseUrl, { migrate: false, mustExist: true });
    const mirror = createMirrorAuditQueries(db);
    // A probe: the database must be the API's (it has the users mirror).
    await mirror.countMirrorUsers();
    return { db, mirror };
  } catch (error) {
    await db?.close();
    const reason = (error as Error).message;
    const where = `the database at ${db?.location ?? databaseUrl.replace(/^file:/, '')} (DATABASE_URL)`;
    throw new AuditCannotRunError(
      /no such table/i.test(reason)
        ? `${where} has no users mirror: is DATABASE_URL the API's database, and has the API started on it once?`
        : /there is no database/.test(reason)
          ? `${reason} (DATABASE_URL): point it at the API's database file.`
          : `${where} could not be opened: ${reason}.`,
    );
  }
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
