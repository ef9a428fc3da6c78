import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';

/** A browser bundle the stand-in serves in place of Clerk's CDN, from its own pinned dependency. */
export interface ClerkScriptPackage {
  name: '@clerk/clerk-js' | '@clerk/ui';
  version: string;
  /** Absolute path of the package's `dist` folder. */
  distDir: string;
}

const require = createRequire(import.meta.url);

// Resolved at run time from this file (in src/, or in a bundle in dist/): never copied into a bundle.
// clerk-js exports no package.json, so its root is found from its main file, dist/clerk.js.
const packageRoots = {
  '@clerk/clerk-js': () => dirname(dirname(require.resolve('@clerk/clerk-js'))),
  '@clerk/ui': () => dirname(require.resolve('@clerk/ui/package.json')),
};
const entryFiles = { '@clerk/clerk-js': 'clerk.browser.js', '@clerk/ui': 'ui.browser.js' };

/** clerk-js (`clerk.browser.js`) and Clerk's UI (`ui.browser.js`), as pinned in the pnpm catalog. */
export function clerkScriptPackages(): ClerkScriptPackage[] {
  return (['@clerk/clerk-js', '@clerk/ui'] as const).map((name) => {
    const root = packageRoots[name]();
    const { version } = require(join(root, 'package.json')) as { version: string };
    const distDir = join(root, 'dist');
    if (!existsSync(join(distDir, entryFiles[name]))) {
      throw new Error(`${name}@${version} has no dist/${entryFiles[name]} in ${root}: reinstall the stand-in's dependencies (pnpm install).`);
    }
    return { name, version, distDir };
  });
}

/** Whether a version in a script URL (`6`, `6.40`, `6.40.0`, `latest`) names the version installed. */
export function versionMatches(requested: string, installed: string): boolean {
  if (requested === 'latest') return true;
  const wanted = requested.split('.');
  const have = installed.split('.');
  return wanted.length <= 3 && wanted.every((part, index) => part === have[index]);
}

/**
 * `GET /npm/@clerk/clerk-js@<version>/dist/<file>` and the same for `@clerk/ui`: the paths under
 * which `@clerk/react`, given a relative `proxyUrl`, loads Clerk's scripts and their chunks from
 * the page's own origin. Only the installed major (or exact) version is served.
 */
export function clerkScriptsRouter(packages: ClerkScriptPackage[] = clerkScriptPackages()): Router {
  const router = Router();
  for (const pkg of packages) {
    const files = express.static(pkg.distDir, {
      index: false,
      fallthrough: false,
      dotfiles: 'ignore',
      setHeaders: (res, path) => {
        // Chunk names carry the version and a content hash; the entry files keep their names across versions.
        const entry = /(^|\/)(clerk|ui)(\.legacy)?\.browser\.js$/.test(path);
        res.setHeader('Cache-Control', entry ? 'public, max-age=300' : 'public, max-age=31536000, immutable');
        res.setHeader('Access-Control-Allow-Origin', '*');
      },
    });
    router.use(`/npm/${pkg.name}@:version/dist`, (req, res, next) => {
      const version = (req.params as { version?: string }).version ?? '';
      if (!versionMatches(version, pkg.version)) {
        res.status(404).type('text/plain').send(`The Clerk stand-in serves ${pkg.name}@${pkg.version} only, not @${version}.`);
        return;
      }
      files(req, res, next);
    });
  }
  return router;
}
