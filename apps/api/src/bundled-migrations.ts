import { fileURLToPath } from 'node:url';

/**
 * The production build (`pnpm build`) copies the db package's migrations beside its bundle and
 * defines `__BUNDLED_MIGRATIONS__` as their path relative to it (see this package's `build`
 * script). From the TypeScript source it is undefined, and the db package finds its own.
 */
declare const __BUNDLED_MIGRATIONS__: string | undefined;

/** Where the built API's migrations are, or undefined when it runs from source. */
export const bundledMigrationsRoot =
  typeof __BUNDLED_MIGRATIONS__ === 'string' ? fileURLToPath(new URL(__BUNDLED_MIGRATIONS__, import.meta.url)) : undefined;
