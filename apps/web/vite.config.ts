import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv, type Plugin } from 'vite';
import { preloadClerkScripts } from './config/clerk-script-preloads.ts';
import { resolveClerkTarget, type ClerkTarget } from './config/clerk-target.ts';

/** Where clerk-js finds Clerk when the SPA runs against the local stand-in (VITE_CLERK_PROXY_URL). */
const CLERK_PROXY_PATH = '/__clerk';
const webRoot = dirname(fileURLToPath(import.meta.url));

/** Says in the build's output which Clerk the bundle talks to; a stand-in build is worth noticing before a deploy. */
function announceClerkTarget(target: ClerkTarget): Plugin {
  return {
    name: 'expectations:clerk-target',
    configResolved(config) {
      if (target.standIn) config.logger.warn(target.description);
      else config.logger.info(target.description);
    },
  };
}

/**
 * Identity is Clerk's, configured at build time by VITE_CLERK_PUBLISHABLE_KEY and
 * VITE_CLERK_PROXY_URL (.env.development gives the dev server the local stand-in's; a build
 * without a key uses the same, see config/clerk-target.ts). The dev and preview servers forward
 * /__clerk to the stand-in (CLERK_STAND_IN_URL, default http://localhost:3002): Clerk's Frontend
 * API and the clerk-js and @clerk/ui scripts, from the page's own origin. A build for real Clerk
 * has no proxy URL and never asks for /__clerk.
 */
export default defineConfig(({ command, mode }) => {
  const clerk = command === 'build' ? resolveClerkTarget(loadEnv(mode, webRoot, 'VITE_'), loadEnv('development', webRoot, 'VITE_')) : null;
  const standInUrl = (process.env.CLERK_STAND_IN_URL ?? 'http://localhost:3002').replace(/\/+$/, '');
  const proxy = {
    [CLERK_PROXY_PATH]: { target: standInUrl, changeOrigin: true, rewrite: (path: string) => path.slice(CLERK_PROXY_PATH.length) },
  };

  return {
    plugins: [react(), ...(clerk ? [announceClerkTarget(clerk), preloadClerkScripts(clerk)] : [])],
    define: clerk
      ? {
          'import.meta.env.VITE_CLERK_PUBLISHABLE_KEY': JSON.stringify(clerk.publishableKey),
          'import.meta.env.VITE_CLERK_PROXY_URL': JSON.stringify(clerk.proxyUrl),
        }
      : {},
    server: { port: 5173, strictPort: true, proxy },
    preview: { port: 4173, strictPort: true, proxy },
    build: {
      target: 'es2022',
      // One report line per chunk, with gzip sizes: the initial-JS budget is read from it.
      reportCompressedSize: true,
    },
  };
});
