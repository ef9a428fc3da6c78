import type { IncomingMessage, ServerResponse } from 'node:http';

const allowedMethods = 'GET, POST, OPTIONS';
// Last-Event-ID: an EventSource resuming the live feed (feed.changes) sends it.
const allowedHeaders = 'Authorization, Content-Type, Last-Event-ID';
const preflightMaxAgeSeconds = '600';

/**
 * CORS for the SPA's origins only. Credentials travel in the Authorization header, never in
 * cookies, so no `Access-Control-Allow-Credentials`. A foreign origin gets no CORS headers at
 * all, so the browser refuses to hand it the response.
 *
 * `answer` sets the CORS headers on a response, and returns true when it answered the request
 * itself (a preflight).
 */
export function corsAllowList(origins: readonly string[]) {
  const allowed = new Set(origins);
  /** The request's Origin when it is on the allow-list: the value for Access-Control-Allow-Origin. */
  const allowedOrigin = (req: IncomingMessage): string | undefined => {
    const origin = req.headers.origin;
    return origin !== undefined && allowed.has(origin) ? origin : undefined;
  };
  const answer = (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = allowedOrigin(req);
    const permitted = origin !== undefined;
    res.setHeader('Vary', 'Origin');
    if (permitted) res.setHeader('Access-Control-Allow-Origin', origin);

    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!preflight) return false;
    if (permitted) {
      res.setHeader('Access-Control-Allow-Methods', allowedMethods);
      res.setHeader('Access-Control-Allow-Headers', allowedHeaders);
      res.setHeader('Access-Control-Max-Age', preflightMaxAgeSeconds);
    }
    res.statusCode = 204;
    res.end();
    return true;
  };
  return { allowedOrigin, answer };
}
