import { spawnApi, type ApiProcess, type SpawnApiOptions } from '@expectations/api/testing';

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

  constructor(
    private readonly env: Record<string, string>,
    private readonly spawnOptions: SpawnApiOptions = {},
  ) {}

  get process(): ApiProcess | null {
    return this.current;
  }

  async start(): Promise<ApiProcess> {
    if (this.current) throw new Error('the API is already running; kill it first');
    const api = await spawnApi(this.env, this.spawnOptions);
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
