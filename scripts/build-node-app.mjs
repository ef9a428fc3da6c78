#!/usr/bin/env node
// Bundles a Node service of this workspace into plain JavaScript that `node` runs alone:
//
//   build-node-app.mjs <entry.ts> [--external <package>]… [--copy <from>:<to>]…
//                      [--define <NAME>=<text>]… [--outdir <dir>]
//
// run with node from the app's folder (as its `build` script does). It writes dist/main.js (ESM,
// Node 20, with a source map beside it): the app, its workspace packages and its npm dependencies
// in one file (and chunks/ for what it loads lazily), so that start-up reads one module instead of resolving and compiling hundreds.
// Packages named by --external stay imports, resolved at run time from the app's node_modules
// (native addons such as better-sqlite3, and packages whose files are served as they are). --copy
// copies a folder into dist/, for files the code reads at run time beside the bundle; --define
// replaces the global NAME in the code with the string <text> (say, where such a folder is).
// --outdir writes elsewhere than dist/ (tests build into a folder of their own); it must lie inside
// the app's folder, so that external packages resolve from the app's node_modules.
import { cpSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    external: { type: 'string', multiple: true, default: [] },
    copy: { type: 'string', multiple: true, default: [] },
    define: { type: 'string', multiple: true, default: [] },
    outdir: { type: 'string', default: 'dist' },
  },
});
const usage = 'usage: build-node-app.mjs <entry.ts> [--external <package>]… [--copy <from>:<to>]… [--define <NAME>=<text>]… [--outdir <dir>]';
const fail = (problem) => {
  console.error(`${problem}\n${usage}`);
  process.exit(2);
};
const [entry] = positionals;
if (!entry || positionals.length > 1) fail('name one entry point');
const pairs = (option, separator) =>
  values[option].map((pair) => {
    const at = pair.indexOf(separator);
    if (at < 1 || at === pair.length - 1) fail(`--${option} ${pair}: expected two parts around "${separator}"`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
const define = Object.fromEntries(pairs('define', '=').map(([name, text]) => [name, JSON.stringify(text)]));
const copies = pairs('copy', ':');

const outdir = resolve(values.outdir);
rmSync(outdir, { recursive: true, force: true });

const result = await build({
  entryPoints: { main: entry },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  format: 'esm',
  // Code the app loads with import() (PostgreSQL's half of the db package, say) goes to a chunk of
  // its own, so a process that never opens a postgres:// URL never reads or compiles it: measured,
  // the SQLite API idled at about 6 MiB less RSS.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  // Not minified: measured, a minified API bundle started no faster and idled at about 9 MiB more RSS.
  external: values.external,
  // Dependencies written as CommonJS call require() for Node's built-in modules; an ES module has
  // no require of its own, so the bundle makes one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  define,
  logLevel: 'warning',
  metafile: true,
});

for (const [from, to] of copies) cpSync(resolve(from), resolve(outdir, to), { recursive: true, dereference: true });

const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`built ${entry} → ${relative(process.cwd(), join(outdir, 'main.js'))} (${(bytes / 1024 / 1024).toFixed(1)} MiB with its source map)`);
