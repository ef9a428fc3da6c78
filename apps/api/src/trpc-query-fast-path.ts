import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  transformTRPCResponse,
  type AnyTRPCRouter,
  type TRPCError,
} from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';

export interface QueryFastPathOptions {
  router: AnyTRPCRouter;
  maxBatchSize: number;
  onError: (opts: { error: TRPCError; path: string; input: unknown; type: 'query' }) => void;
}

export interface QueryRoute {
  /** The procedure path(s) after `/trpc/`, still URL-encoded. */
  path: string;
  /** The query string, without `?`. */
  query: string;
  /** Every header of the answer but its type and length. */
  headers: Readonly<Record<string, string>>;
  createContext: () => unknown;
}

/** Answers the request and returns true, or returns false having touched nothing. */
export type QueryFastPath = (req: IncomingMessage, res: ServerResponse, route: QueryRoute) => Promise<boolean>;

type Call = { path: string; input: unknown };

/**
 * tRPC's wire format for the commonest request of all, a GET of one query or a batch of them,
 * answered without the fetch-API round trip of tRPC's Node adapter (a WHATWG Request, Headers,
 * a Response and a stream per request: the adapter alone took 2.6 times the CPU per request).
 *
 * It is tRPC's own code at every step that decides an answer: procedures are called with
 * `callTRPCProcedure` (the same middlewares, input parsing and errors), errors are shaped by the
 * router's `errorFormatter` through `getTRPCErrorShape`, the body goes through the router's
 * transformer (`transformTRPCResponse`), the status comes from `getHTTPStatusCode`, and
 * procedures get an AbortSignal that fires when the client goes away, as the adapter's do.
 *
 * What is its own is recognising the request: anything it does not recognise exactly returns
 * false untouched, and tRPC's adapter answers it, errors included — other methods, unknown query
 * parameters, a request body's content type, streaming (`jsonl` asked for by `trpc-accept` or
 * `Accept`), unknown or non-query paths, oversized batches and unparsable input. A
 * property-based test sends random requests to this path and to the adapter alone and requires
 * the same answers (apps/api/test/trpc-query-fast-path.test.ts), which is also the alarm for a
 * tRPC release that changes any of these rules: tRPC is pinned exactly. The router's `_def` (its
 * procedures and config) is read through tRPC's public router type.
 */
export function createQueryFastPath(options: QueryFastPathOptions): QueryFastPath {
  const { router, maxBatchSize, onError } = options;
  const config = router._def._config;
  const procedures = router._def.procedures as Record<string, { _def: { type: string } } | undefined>;

  function recognise(req: IncomingMessage, encodedPath: string, query: string): { batch: boolean; calls: Call[] } | null {
    if (req.method !== 'GET' || req.headers['trpc-accept'] !== undefined || asksForJsonLines(req.headers.accept)) return null;
    // tRPC's adapter picks its input parser by content type before it looks at the method.
    if (req.headers['content-type'] !== undefined) return null;
    let path: string;
    try {
      path = decodeURIComponent(encodedPath);
    } catch {
      return null;
    }

    let batch = false;
    let rawInput: string | null = null;
    for (const [name, value] of new URLSearchParams(query)) {
      if (name === 'batch' && value === '1' && !batch) batch = true;
      else if (name === 'input' && rawInput === null) rawInput = value;
      else return null;
    }
    const paths = batch ? path.split(',') : [path];
    if (paths.length > maxBatchSize) return null;

    let inputs: unknown;
    try {
      inputs = rawInput ? JSON.parse(rawInput) : undefined;
    } catch {
      return null;
    }
    if (batch && inputs !== undefined && (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))) return null;

    const calls: Call[] = [];
    for (const [index, callPath] of paths.entries()) {
      if (!Object.hasOwn(procedures, callPath) || procedures[callPath]?._def.type !== 'query') return null;
      calls.push({ path: callPath, input: batch ? (inputs as Record<string, unknown> | undefined)?.[index] : inputs });
    }
    return { batch, calls };
  }

  return async function answer(req, res, route) {
    const recognised = recognise(req, route.path, route.query);
    if (!recognised) return false;
    const { batch, calls } = recognised;

    const clientGone = new AbortController();
    const abort = () => clientGone.abort();
    res.once('close', abort);

    const ctx = route.createContext();
    const results = await Promise.all(
      calls.map(async ({ path, input }, batchIndex) => {
        try {
          const data: unknown = await callTRPCProcedure({
            router,
            path,
            getRawInput: async () => input,
            ctx,
            type: 'query',
            signal: clientGone.signal,
            batchIndex,
          });
          return { result: { data } };
        } catch (cause) {
          const error = getTRPCErrorFromUnknown(cause);
          onError({ error, path, input, type: 'query' });
          return { error: getTRPCErrorShape({ config, ctx, error, input, path, type: 'query' }) };
        }
      }),
    );
    res.off('close', abort);

    const body = batch ? results : results[0]!;
    const json = JSON.stringify(transformTRPCResponse(config, body));
    res.writeHead(getHTTPStatusCode(body), {
      ...route.headers,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(json),
    });
    // A string, not a Buffer: Node sends a string body in one write with the headers, where a
    // Buffer goes out as a second chunk of a corked writev.
    res.end(json);
    return true;
  };
}

/** tRPC's reading of `Accept`: JSON Lines when any of its values is exactly `application/jsonl`. */
function asksForJsonLines(accept: string | undefined): boolean {
  return accept !== undefined && accept.split(',').some((type) => type.trim() === 'application/jsonl');
}
