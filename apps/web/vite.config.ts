import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

/** Where clerk-js finds Clerk when the SPA runs against the local stand-in (VITE_CLERK_PROXY_URL). */
const CLERK_PROXY_PATH = '/__clerk';

/**
 * Identity is Clerk's, configured at build time by VITE_CLERK_PUBLISHABLE_KEY and
 * VITE_CLERK_PROXY_URL (.env.development gives the dev server the local stand-in's). The dev and
 * preview servers forward /__clerk to the stand-in (CLERK_STAND_IN_URL, default
 * http://localhost:3002): Clerk's Frontend API and the clerk-js and @clerk/ui scripts, from the
 * page's own origin. A build for real Clerk has no proxy URL and never asks for /__clerk.
 */
export default defineConfig(({ command, mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_');
  if (command === 'build' && !env.VITE_CLERK_PUBLISHABLE_KEY) {
    throw new Error(
      'VITE_CLERK_PUBLISHABLE_KEY is not set: build with your Clerk instance’s publishable key, or, for the local stand-in, ' +
        'with the key and VITE_CLERK_PROXY_URL from apps/web/.env.development (see docs/web.md).',
    );
  }
  const standInUrl = (process.env.CLERK_STAND_IN_URL ?? 'http://localhost:3002').replace(/\/+$/, '');
  const proxy = {
    [CLERK_PROXY_PATH]: { target: standInUrl, changeOrigin: true, rewrite: (path: string) => path.slice(CLERK_PROXY_PATH.length) },
  };

  return {
    plugins: [react()],
    server: { port: 5173, strictPort: true, proxy },
    preview: { port: 4173, strictPort: true, proxy },
    build: {
      target: 'es2022',
      // One report line per chunk, with gzip sizes: the initial-JS budget is read from it.
      reportCompressedSize: true,
    },
  };
});
