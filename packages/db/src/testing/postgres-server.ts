import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL server for tests: `initdb` into a fresh temporary folder, listening on
 * 127.0.0.1 on a free port, fsync off (a crash of the machine may lose it; nothing else may).
 * Run as the `postgres` user when this process is root, as PostgreSQL refuses to run as root.
 */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the server's own maintenance database. */
  readonly url: string;
  readonly port: number;
  /** Stops the server at once and deletes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

export class PostgresServerError extends Error {
  override name = 'PostgresServerError';
}

/** Where Debian (and most distributions) put the server binaries: the newest version found. */
export function postgresBinDir(): string {
  const candidates: string[] = [];
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0) candidates.push(pgConfig.stdout.trim());
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new PostgresServerError(
      "PostgreSQL's server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or by pg_config: " +
        "run `node scripts/setup.mjs` (it installs Debian's postgresql package when run as root) or install PostgreSQL 15 or later.",
    );
  }
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface PostgresServerOptions {
  /**
   * fsync on, as a production server runs: for benchmarks of durable writes. Tests leave it off:
   * they kill API processes, never the machine, and a commit is durable against that either way.
   */
  durable?: boolean;
}

export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'expectations-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) => {
    const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    const result = spawnSync(command, commandArgs as string[], { encoding: 'utf8', timeout: 120_000 });
    return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
  };
  const fail = (what: string, output: string): never => {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new PostgresServerError(`could not ${what} a PostgreSQL test server with ${bin}:\n${output}\n${serverLog}`);
  };

  const init = run('initdb', ['-D', data, '--auth=trust', '--no-sync', '-U', 'postgres', '--encoding=UTF8', '--locale=C.UTF-8']);
  if (!init.ok) fail('initialise', init.output);

  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const serverOptions = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      ...(options.durable ? [] : ['-c fsync=off', '-c full_page_writes=off']),
      '-c max_connections=300',
    ].join(' ');
    const start = run('pg_ctl', ['-D', data, '-l', log, '-o', serverOptions, '-w', '-t', '60', 'start']);
    if (start.ok) break;
    // Another process may have taken the free port in between: try another.
    if (attempt >= 3) fail('start', start.output);
  }

  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  // A test run that ends without its teardown (an uncaught error, Ctrl-C) must not leave it running.
  process.once('exit', stopNow);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      process.removeListener('exit', stopNow);
      stopNow();
    },
  };
}
