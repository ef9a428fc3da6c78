#!/usr/bin/env node
// Brings a fresh clone to a runnable state: the pinned pnpm, then the locked dependencies.
// Both the dev and test commands run this first, so a new machine needs only Node 20 and npm.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const wantedPnpm = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).packageManager.split('@')[1];

function pnpmVersion() {
  const result = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

if (pnpmVersion() !== wantedPnpm) {
  // corepack's signature check fails on some machines; npm's global install works everywhere.
  console.log(`setup: installing pnpm@${wantedPnpm} with npm`);
  execSync(`npm install --global pnpm@${wantedPnpm}`, { stdio: 'inherit' });
}

// better-sqlite3 compiles from source when its prebuilt binary cannot be downloaded; node-gyp
// then needs Node's headers. pnpm does not read `nodedir` from .npmrc, so pass it explicitly.
const env = { ...process.env };
if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';

const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
execSync(['pnpm', 'install', ...frozen].join(' '), { cwd: root, stdio: 'inherit', env });

const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;

// The end-to-end tests drive Debian's Chromium (browser downloads are blocked on our machines).
if (!existsSync('/usr/bin/chromium')) {
  if (canApt) {
    console.log('setup: installing chromium for the end-to-end tests');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  } else {
    console.warn('setup: /usr/bin/chromium is missing; install Debian\'s chromium package to run the end-to-end tests');
  }
}

// The tests run every database suite on PostgreSQL too, on a throwaway server they start with
// the server binaries (initdb, pg_ctl); they never use a server that is already running.
const hasPostgresServer = () =>
  existsSync('/usr/lib/postgresql') &&
  readdirSync('/usr/lib/postgresql').some((version) => existsSync(`/usr/lib/postgresql/${version}/bin/initdb`));
if (!hasPostgresServer()) {
  if (canApt) {
    console.log('setup: installing postgresql for the PostgreSQL test runs');
    // Only the binaries are wanted: no cluster of its own started on port 5432.
    mkdirSync('/etc/postgresql-common', { recursive: true });
    if (!existsSync('/etc/postgresql-common/createcluster.conf')) writeFileSync('/etc/postgresql-common/createcluster.conf', 'create_main_cluster = false\n');
    execSync(
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get install -y -qq -o Dpkg::Options::=--force-confold postgresql',
      { stdio: 'inherit' },
    );
  } else {
    console.warn("setup: PostgreSQL's server binaries are missing; install Debian's postgresql package: the PostgreSQL test runs fail without them");
  }
}
