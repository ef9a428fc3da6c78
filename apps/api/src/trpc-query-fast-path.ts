import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyRouter } from '@trpc/server';
import {
  getErrorShape,
  getHTTPStatusCode,
  getTRPCErrorFromUnknown,
  type AnyProcedure,
  type TRPCError,
} from '@trpc/server/unstable-core-do-not-import';

export interface QueryFastPathOptions {
  router: AnyRouter;
  maxBatchSize: number;
  onError: (opts: { error: TRPCError; path: string; input: unknown; type: 'query' }) => void;
}

type Call = { path: string; procedure: AnyProcedure; input: unknown };

/**
 * tRPC's wire format for the commonest request of all, a GET of one or a batch of queries,
 * answered without the fetch-API round trip of tRPC's Node adapter (a WHATWG Request, Headers,
 * an AbortSignal and a stream per call; measured at about a third of the read path's CPU).
 *
 * It calls the same procedures with the same middlewares, formats errors with the router's own
 * `errorFormatter` through tRPC's `getErrorShape`, and computes the status with tRPC's
 * `getHTTPStatusCode`. Anything it does not recognise exactly (other methods, unknown query
 * parameters, streaming, unknown or non-query paths, oversized batches, unparsable input)
 * returns false untouched, and tRPC's adapter answers it, errors included. A test compares both
 * answers request by request.
 */
export function createQueryFastPath(options: QueryFastPathOptions) {
  const { router } = options;
  const config = router._def._config;
  const procedures = router._def.procedures as Record<string, AnyProcedure | undefined>;

  function recognise(req: IncomingMessage, path: string, query: string): { batch: boolean; calls: Call[] } | null {
    if (req.method !== 'GET' || req.headers['trpc-accept'] !== undefined) return null;
    if (req.headers.accept === 'application/jsonl') return null;
    const params = new URLSearchParams(query);
    let batch = false;
    let rawInput: string | null = null;
    for (const [name, value] of params) {
      if (name === 'batch' && value === '1' && !batch) batch = true;
      else if (name === 'input' && rawInput === null) rawInput = value;
      else return null;
    }
    const paths = batch ? path.split(',') : [path];
    if (paths.length > options.maxBatchSize) return null;

    let inputs: unknown;
    try {
      inputs = rawInput ? JSON.parse(rawInput) : undefined;
    } catch {
      return null;
    }
    if (batch && inputs !== undefined && (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))) return null;

    const calls: Call[] = [];
    for (const [index, callPath] of paths.entries()) {
      const procedure = Object.hasOwn(procedures, callPath) ? procedures[callPath] : undefined;
      if (!procedure || procedure._def.type !== 'query') return null;
      const input = batch ? (inputs as Record<string, unknown> | undefined)?.[index] : inputs;
      calls.push({ path: callPath, procedure, input });
    }
    return { batch, calls };
  }

  /** Answers the request and returns true, or returns false having touched nothing. */
  return async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    route: { path: string; query: string; headers: Record<string, string>; createContext: () => unknown },
  ): Promise<boolean> {
    const { path, query } = route;
    let decodedPath: string;
    try {
      decodedPath = decodeURIComponent(path);
    } catch {
      return false;
    }
    const recognised = recognise(req, decodedPath, query);
    if (!recognised) return false;
    const { batch, calls } = recognised;

    const ctx = route.createContext();
    const results = await Promise.all(
      calls.map(async ({ path: callPath, procedure, input }, batchIndex) => {
        try {
          const data: unknown = await procedure({
            path: callPath,
            getRawInput: async () => input,
            ctx,
            type: 'query',
            signal: undefined,
            batchIndex,
          });
          return { result: { data } };
        } catch (cause) {
          const error = getTRPCErrorFromUnknown(cause);
          options.onError({ error, path: callPath, input, type: 'query' });
          return { error: getErrorShape({ config, ctx, error, input, path: callPath, type: 'query' }) };
        }
      }),
    );
    const body = batch ? results : results[0]!;
    // Encoded once: its length is the header, its bytes the body.
    const json = Buffer.from(JSON.stringify(body));
    res.writeHead(getHTTPStatusCode(body as never), {
      ...route.headers,
      'Content-Type': 'application/json',
      'Content-Length': json.length,
    });
    res.end(json);
    return true;
  };
}
