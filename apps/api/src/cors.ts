import type { IncomingMessage, ServerResponse } from 'node:http';

const allowedMethods = 'GET, POST, OPTIONS';
const allowedHeaders = 'Authorization, Content-Type';
const preflightMaxAgeSeconds = '600';

/**
 * CORS for the SPA's origins only. Credentials travel in the Authorization header, never in
 * cookies, so no `Access-Control-Allow-Credentials`. A foreign origin gets no CORS headers at
 * all, so the browser refuses to hand it the response.
 *
 * Returns true when it answered the request itself (a preflight).
 */
export function corsAllowList(origins: readonly string[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = new Set(origins);
  return (req, res) => {
    const origin = req.headers.origin;
    const permitted = origin !== undefined && allowed.has(origin);
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
}
