import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

// The API package's folder, found through its exports like any other import of it.
const apiDir = dirname(dirname(createRequire(import.meta.url).resolve('@expectations/api/server')));

/** Logged by the router when a signed-in user has no mirror row yet: expected while webhooks lag. */
const MISSING_MIRROR_ROW = 'has no row in the users mirror';
const START_TIMEOUT_MS = 30_000;

export class ApiStartError extends Error {
  override name = 'ApiStartError';
}

export interface ApiExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One run of the API process. */
export interface ApiProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<ApiExit>;
  /** Webhooks this process acknowledged ('clerk webhook applied' log lines). */
  appliedWebhooks(): number;
  /** Error-level log lines other than the expected "no mirror row yet", as written. */
  unexpectedErrors(): string[];
  stderr(): string;
}

/**
 * Runs `src/main.ts` of the API as its own process, exactly as `pnpm --filter @expectations/api
 * start` does, and resolves once it listens. `node --import tsx` keeps the server in this one
 * process: the tsx CLI would fork a child that a SIGKILL of its parent leaves running.
 */
export async function spawnApi(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    // Info level: 'api listening' gives the URL and 'clerk webhook applied' shows progress.
    env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let applied = 0;
  const errors: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<ApiExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ApiStartError(`the API did not start within ${START_TIMEOUT_MS / 1000} s\n${stderr}`));
    }, START_TIMEOUT_MS);
    // Read every line to the end: a full stdout pipe would stall the API.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return; // not a log line
      }
      if (entry.msg === 'clerk webhook applied') applied += 1;
      else if (typeof entry.level === 'number' && entry.level >= 50 && !String(entry.msg).includes(MISSING_MIRROR_ROW)) errors.push(line);
      else if (entry.msg === 'api listening') {
        clearTimeout(timer);
        resolve(String(entry.url));
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new ApiStartError(`the API exited (${code ?? signal}) before listening\n${stderr}`));
    });
  });
  return { child, url, exited, appliedWebhooks: () => applied, unexpectedErrors: () => [...errors], stderr: () => stderr };
}

/**
 * The API on one fixed port, killed and restarted at will. `epoch` changes at every kill and
 * every start, so that a caller can tell a connection error caused by a kill (expected) from one
 * that happened while the same process stayed up (a real failure).
 */
export class ApiSupervisor {
  private current: ApiProcess | null = null;
  private readonly finished: ApiProcess[] = [];
  private readonly unplannedExits: string[] = [];
  epoch = 0;
  up = false;
  starts = 0;
  kills = 0;

  constructor(private readonly env: Record<string, string>) {}

  get process(): ApiProcess | null {
    return this.current;
  }

  async start(): Promise<ApiProcess> {
    if (this.current) throw new Error('the API is already running; kill it first');
    const api = await spawnApi(this.env);
    this.current = api;
    this.starts += 1;
    void api.exited.then((exit) => {
      if (this.current === api) {
        this.unplannedExits.push(`the API exited on its own (${exit.code ?? exit.signal})\n${api.stderr()}`);
        this.finished.push(api);
        this.current = null;
        this.up = false;
        this.epoch += 1;
      }
    });
    this.epoch += 1;
    this.up = true;
    return api;
  }

  /** SIGKILL: no shutdown code runs, as when the machine or the container dies. */
  async kill(options: { counted?: boolean } = {}): Promise<void> {
    const api = this.current;
    if (!api) return;
    this.current = null;
    this.up = false;
    this.epoch += 1;
    api.child.kill('SIGKILL');
    await api.exited;
    this.finished.push(api);
    if (options.counted ?? true) this.kills += 1;
  }

  /** Every process run so far, the running one included. */
  runs(): ApiProcess[] {
    return this.current ? [...this.finished, this.current] : [...this.finished];
  }

  unexpectedExits(): string[] {
    return [...this.unplannedExits];
  }
}
