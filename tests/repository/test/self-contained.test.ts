import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findReachesOutside, repositoryFiles, type RepositoryFile } from '../src/reaches-outside';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

// The planted paths are built at run time, so that this file itself names none of them.
const up = (levels: number) => '../'.repeat(levels);
const developmentFolder = ['', 'work', 'shared', 'PRODUCT.md'].join('/');

const text = (path: string, content: string): RepositoryFile => ({ path, text: content, symlink: false });
const reachesIn = (...files: RepositoryFile[]) => findReachesOutside('/srv/repo', files).map(({ file, line, text }) => ({ file, line, text }));

describe('the repository is self-contained', () => {
  it('has no file that reaches outside its root', () => {
    const files = repositoryFiles(repoRoot);
    // The scan sees the whole repository, this file and the lockfile included.
    expect(files.map((file) => file.path)).toEqual(expect.arrayContaining(['pnpm-lock.yaml', 'tests/repository/test/self-contained.test.ts', 'README.md']));
    expect(findReachesOutside(repoRoot, files)).toEqual([]);
  });
});

describe('the scan', () => {
  it('finds a relative path that climbs above the root, in code and in Markdown', () => {
    expect(
      reachesIn(
        text('apps/api/test/fixtures.ts', `const dir = new URL('${up(4)}shared/fixtures/', import.meta.url);`),
        text('docs/api.md', `See [the facts](${up(2)}shared/CLERK-FAPI.md).`),
        text('.ci/run', `cat ${up(2)}shared/PRODUCT.md`),
      ),
    ).toEqual([
      { file: 'apps/api/test/fixtures.ts', line: 1, text: `${up(4)}shared/fixtures/` },
      { file: 'docs/api.md', line: 1, text: `${up(2)}shared/CLERK-FAPI.md` },
      { file: '.ci/run', line: 1, text: `${up(2)}shared/PRODUCT.md` },
    ]);
  });

  it('finds an absolute path into the development folder', () => {
    expect(reachesIn(text('bench/src/run.ts', `\nreadFileSync('${developmentFolder}')`))).toEqual([
      { file: 'bench/src/run.ts', line: 2, text: `readFileSync('${developmentFolder}')` },
    ]);
  });

  it('finds a symbolic link whose target is outside', () => {
    expect(reachesIn({ path: 'apps/api/fixtures', text: `${up(3)}shared`, symlink: true })).toHaveLength(1);
    expect(reachesIn({ path: 'apps/api/fixtures', text: `${up(1)}web`, symlink: true })).toEqual([]);
  });

  it('accepts relative paths that stay inside, however deep they start', () => {
    expect(
      reachesIn(
        text('packages/db/src/client.ts', `new URL('${up(1)}migrations', import.meta.url)`),
        text('bench/src/lib/processes.ts', `new URL('${up(3)}', import.meta.url)`),
        text('apps/api/tsconfig.json', `{ "extends": "${up(2)}tsconfig.base.json" }`),
        text('README.md', 'Read [the API](./docs/api.md) first.'),
      ),
    ).toEqual([]);
  });

  it('reads the lockfile’s link: paths from the workspace package they belong to', () => {
    const lockfile = ['importers:', '', '  apps/api:', '    dependencies:', '      x:', `        version: link:${up(2)}packages/db`, 'packages: {}'].join('\n');
    expect(reachesIn(text('pnpm-lock.yaml', lockfile))).toEqual([]);
    expect(reachesIn(text('pnpm-lock.yaml', lockfile.replace('  apps/api:', '  .:')))).toHaveLength(1);
  });
});

describe('a planted violation in a real git repository', () => {
  const dir = mkdtempSync(join(tmpdir(), 'expectations-self-contained-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is found in a new file that git would commit, and not in one .gitignore excludes', () => {
    const repo = join(dir, 'repo');
    const write = (path: string, content: string) => {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), content);
    };
    mkdirSync(repo);
    execFileSync('git', ['init', '--quiet'], { cwd: repo });
    write('.gitignore', 'node_modules/\n');
    write('README.md', '# clean\n');
    write('apps/api/test/load.ts', `export const fixtures = '${up(4)}shared/fixtures';\n`);
    write('node_modules/some-package/index.js', `require('${up(3)}outside')\n`);
    symlinkSync(join(dir, 'elsewhere'), join(repo, 'linked'));

    const reaches = findReachesOutside(repo, repositoryFiles(repo));
    expect(reaches.map(({ file, line }) => ({ file, line }))).toEqual([
      { file: 'apps/api/test/load.ts', line: 1 },
      { file: 'linked', line: 1 },
    ]);
  });
});
