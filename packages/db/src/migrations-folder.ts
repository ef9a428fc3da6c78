import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dialect } from './database';

/** `packages/db/migrations/`, found from this file's place in the package. */
const packagedMigrationsRoot = fileURLToPath(new URL('../migrations/', import.meta.url));

/**
 * The folder of committed drizzle-kit migrations for a dialect: `<root>/<dialect>/`. The one
 * place that locates them: a bundled build, where this file no longer sits beside the folder,
 * copies `packages/db/migrations/` and passes its copy as `root` (`openDatabase`'s
 * `migrationsRoot` option).
 */
export function migrationsFolder(dialect: Dialect, root: string = packagedMigrationsRoot): string {
  return join(root, dialect);
}
