/**
 * Vitest global setup of the API's suites: the production build, bundled once for the whole run,
 * which every `spawnApi` and `runApiToExit` then starts with `node` alone. From TypeScript source
 * through tsx, each start took 12-24 s on a loaded 2-core machine (a test that starts the API twice
 * ran out of time); the bundle starts in a fraction of a second and is what production runs.
 */
import { API_BUNDLE_VARIABLE, buildApi } from './api-process';

export default function setup(): () => void {
  const built = buildApi();
  // Set before any test worker exists: each inherits it.
  process.env[API_BUNDLE_VARIABLE] = built.main;
  return () => built.remove();
}
