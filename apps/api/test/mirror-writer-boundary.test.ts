import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

// Rule 1 of the brief: only the webhook route writes the users mirror. The lint rule catches
// static imports; this scan also catches dynamic imports, requires and re-exports by path.
const allowed = [
  /^eslint\.config\.js$/,
  /^apps\/api\/src\/webhooks\//,
  // The writer itself, the db package's test helpers (which seed the mirror through it) and its tests.
  /^packages\/db\/src\/mirror-writer\//,
  /^packages\/db\/src\/testing\//,
  /^packages\/db\/test\//,
  // The webhook benchmark's floor: it measures the writer under node:http alone.
  /^bench\/src\/floors\/webhook-floor\.ts$/,
];

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.git', 'dist', '.turbo', '.data', 'test-artifacts'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(c|m)?(t|j)sx?$/.test(entry.name)) yield path;
  }
}

it('lets no module but the webhook route import the mirror writer', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(repoRoot)) {
    const path = relative(repoRoot, file);
    if (allowed.some((pattern) => pattern.test(path)) || path === 'apps/api/test/mirror-writer-boundary.test.ts') continue;
    if (/mirror-writer['"/]/.test(readFileSync(file, 'utf8'))) offenders.push(path);
  }
  expect(offenders).toEqual([]);
});

it('sees the one real importer, so the scan itself works', () => {
  const route = readFileSync(join(repoRoot, 'apps/api/src/webhooks/clerk-webhook-route.ts'), 'utf8');
  expect(route).toMatch(/from '@expectations\/db\/mirror-writer'/);
});
