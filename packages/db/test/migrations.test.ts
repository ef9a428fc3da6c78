import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { migrationsFolder } from '../src/migrations-folder';

const packageDir = fileURLToPath(new URL('../', import.meta.url));

// A schema change without its generated migration would reach no database: drizzle-kit, run
// over a copy of the committed migrations, must find nothing left to generate.
it.each([
  ['sqlite', 'sqlite', 'src/sqlite/schema/index.ts'],
  ['postgres', 'postgresql', 'src/postgres/schema/index.ts'],
] as const)('has committed %s migrations that match the schema', (dialect, kitDialect, schema) => {
  const out = mkdtempSync(join(tmpdir(), `expectations-migrations-${dialect}-`));
  try {
    cpSync(migrationsFolder(dialect), out, { recursive: true });
    const before = readdirSync(out).sort();
    // drizzle-kit reads --out relative to the working directory, even when it is absolute.
    const args = ['generate', '--dialect', kitDialect, '--schema', schema, '--out', relative(packageDir, out)];
    const run = spawnSync(join(packageDir, 'node_modules/.bin/drizzle-kit'), args, { cwd: packageDir, encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toMatch(/No schema changes/);
    expect(readdirSync(out).sort()).toEqual(before);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 30_000);
