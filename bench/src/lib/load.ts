import autocannon from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

/**
 * Drives `url` at a fixed number of connections for `seconds`. `nextRequest` is called for
 * every request, so each can differ (webhooks need a fresh svix id each time).
 */
export async function runLoad(options: {
  url: string;
  connections: number;
  seconds: number;
  nextRequest: () => LoadRequest;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        setupRequest: (request) => {
          const next = options.nextRequest();
          return { ...request, method: next.method, path: next.path, headers: next.headers ?? {}, body: next.body };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface LoadSummary {
  medianPerSecond: number;
  medianP50Ms: number;
  medianP99Ms: number;
  /** Every request that did not get a 2xx, over all rounds. */
  non2xx: number;
}

export function summarizeRuns(results: LoadResult[]): LoadSummary {
  return {
    medianPerSecond: median(results.map((r) => r.requestsPerSecond)),
    medianP50Ms: median(results.map((r) => r.p50Ms)),
    medianP99Ms: median(results.map((r) => r.p99Ms)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
  };
}

/**
 * Runs `rounds` rounds against every side, rotating which goes first each round, so that all
 * meet the same machine noise; returns each side's summary. An optional side left out of `sides`
 * is not run, and has no summary.
 */
export async function sideBySide<Sides extends Partial<Record<string, { url: string }>>>(
  sides: Sides,
  rounds: number,
  runOnce: (side: keyof Sides & string, url: string, round: number) => Promise<LoadResult>,
): Promise<{ summaries: { [Side in keyof Sides]: LoadSummary } }> {
  type Side = keyof Sides & string;
  const names = Object.keys(sides) as Side[];
  const runs = Object.fromEntries(names.map((name) => [name, [] as LoadResult[]])) as Record<Side, LoadResult[]>;
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, index) => names[(index + round) % names.length]!);
    for (const side of order) runs[side].push(await runOnce(side, sides[side]!.url, round));
  }
  const summaries = Object.fromEntries(names.map((name) => [name, summarizeRuns(runs[name])]));
  return { summaries: summaries as { [Side in keyof Sides]: LoadSummary } };
}

/** The API against its floor, side by side; returns each side's summary and their ratio. */
export async function apiAgainstFloor(
  api: { url: string },
  floor: { url: string },
  rounds: number,
  runOnce: (url: string, round: number) => Promise<LoadResult>,
): Promise<{ api: LoadSummary; floor: LoadSummary; ratio: number }> {
  const { summaries } = await sideBySide({ api, floor }, rounds, (_side, url, round) => runOnce(url, round));
  return { ...summaries, ratio: summaries.api.medianPerSecond / summaries.floor.medianPerSecond };
}
