import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { clerkScriptPackages, STAND_IN_PUBLISHABLE_KEY } from '@expectations/clerk-emulator';
import { repoRoot } from '../lib/processes';

export interface SpaChunk {
  file: string;
  initial: boolean;
  bytes: number;
  gzipBytes: number;
}

/** A script of Clerk's that the browser loads at run time (from Clerk's CDN, or locally from the stand-in). */
export interface ClerkScript {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** What a first visit may download before anything renders (gzip -9); the end-to-end test holds the SPA to it too. */
export const INITIAL_JS_BUDGET_KIB = 110;

export interface SpaBundleResult {
  chunks: SpaChunk[];
  initialGzipKiB: number;
  /** The budget the run was held to (older saved runs had none: 120 KiB then). */
  initialBudgetKiB?: number;
  totalGzipKiB: number;
  /** Set when measured on its own (`--only spa-bundle`), apart from the rest of the report. */
  measuredAt?: string;
  /** The entry scripts of clerk-js and @clerk/ui, which load further chunks of their own on demand. */
  clerkScripts?: ClerkScript[];
}

const weigh = (path: string) => {
  const content = readFileSync(path);
  return { bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
};

/**
 * Builds the SPA as production does and weighs every JS chunk gzipped. "Initial" chunks are the
 * ones index.html loads or preloads before anything renders; the rest load with their route.
 */
export function spaBundle(): SpaBundleResult {
  const webDir = join(repoRoot, 'apps/web');
  // Built as for the local stand-in; a build for a real Clerk instance differs only in the key.
  execFileSync('pnpm', ['run', 'build'], {
    cwd: webDir,
    stdio: 'ignore',
    env: { ...process.env, NODE_ENV: 'production', VITE_CLERK_PUBLISHABLE_KEY: STAND_IN_PUBLISHABLE_KEY, VITE_CLERK_PROXY_URL: '/__clerk' },
  });
  const dist = join(webDir, 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initialFiles = new Set([...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((match) => match[1]!));
  const chunks = readdirSync(join(dist, 'assets'))
    .filter((file) => file.endsWith('.js'))
    .map((file) => {
      return { file: `assets/${file}`, initial: initialFiles.has(`assets/${file}`), ...weigh(join(dist, 'assets', file)) };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzipBytes - a.gzipBytes);
  const kib = (list: SpaChunk[]) => list.reduce((sum, chunk) => sum + chunk.gzipBytes, 0) / 1024;
  const clerkScripts = clerkScriptPackages().map((pkg) => {
    const entry = pkg.name === '@clerk/clerk-js' ? 'clerk.browser.js' : 'ui.browser.js';
    return { file: `${pkg.name}@${pkg.version}/dist/${entry}`, ...weigh(join(pkg.distDir, entry)) };
  });
  return {
    chunks,
    initialGzipKiB: kib(chunks.filter((chunk) => chunk.initial)),
    initialBudgetKiB: INITIAL_JS_BUDGET_KIB,
    totalGzipKiB: kib(chunks),
    clerkScripts,
  };
}
