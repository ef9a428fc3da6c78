import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { appRouter } from '@expectations/router';
import type { TrpcMetrics } from './api-metrics';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const PROCEDURES: ReadonlySet<string> = new Set(Object.keys(appRouter._def.procedures));

/**
 * The procedure labels of a `/trpc/<path>` request: one per call of a batch (`a,b`), and
 * "unknown" for names the router lacks, so that no request can mint new label values.
 */
export function procedureLabels(url: string, prefix: string): string[] {
  const queryStart = url.indexOf('?');
  const path = url.slice(prefix.length, queryStart === -1 ? undefined : queryStart);
  if (PROCEDURES.has(path)) return [path];
  return path.split(',').map((name) => (PROCEDURES.has(name) ? name : 'unknown'));
}

/**
 * Wraps the `/trpc` handler: each request is counted by procedure and HTTP status, with its
 * duration, once the handler has answered. A handler that throws is counted as a 500, which is
 * what the caller then sends.
 */
export function instrumentTrpc(handler: Handler, metrics: TrpcMetrics, prefix: string): Handler {
  return async (req, res) => {
    const start = performance.now();
    let status = 500;
    try {
      await handler(req, res);
      status = res.statusCode;
    } finally {
      const seconds = (performance.now() - start) / 1000;
      for (const procedure of procedureLabels(req.url ?? '', prefix)) metrics.request(procedure, status, seconds);
    }
  };
}
