import type { Environment } from 'vitest/runtime';
import { builtinEnvironments } from 'vitest/runtime';

/**
 * jsdom for the DOM, but modules transformed as for Node (Vite's "ssr" environment). The
 * component tests run the API's real router in-process, and the browser transform would
 * rewrite its `new URL('../migrations', import.meta.url)` into a page URL.
 */
const environment: Environment = {
  ...builtinEnvironments.jsdom,
  name: 'jsdom-server-transform',
  viteEnvironment: 'ssr',
};

export default environment;
