/**
 * `pnpm --filter @expectations/db backup <destination.db>` — an online backup of DATABASE_URL
 * (default file:.data/expectations.db), safe while the API runs.
 */
import { backupDatabase } from '../src/backup';

const destination = process.argv[2];
const url = process.env.DATABASE_URL ?? 'file:.data/expectations.db';
if (!destination) {
  console.error('usage: pnpm --filter @expectations/db backup <destination.db>   (reads DATABASE_URL)');
  process.exit(64);
}
try {
  const { pages } = await backupDatabase(url, destination);
  console.log(`backed up ${url} to ${destination} (${pages} pages)`);
} catch (error) {
  console.error(`backup of ${url} failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
