import type { RequestHandler } from 'express';

const allowedMethods = 'GET, POST, OPTIONS';
const allowedHeaders = 'Authorization, Content-Type';
const preflightMaxAgeSeconds = '600';

/**
 * CORS for the SPA's origins only. Credentials travel in the Authorization header, never in
 * cookies, so no `Access-Control-Allow-Credentials`. A foreign origin gets no CORS headers at
 * all, so the browser refuses to hand it the response.
 */
export function corsAllowList(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    const permitted = origin !== undefined && allowed.has(origin);
    res.vary('Origin');
    if (permitted) res.setHeader('Access-Control-Allow-Origin', origin);

    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!preflight) {
      next();
      return;
    }
    if (permitted) {
      res.setHeader('Access-Control-Allow-Methods', allowedMethods);
      res.setHeader('Access-Control-Allow-Headers', allowedHeaders);
      res.setHeader('Access-Control-Max-Age', preflightMaxAgeSeconds);
    }
    res.status(204).end();
  };
}
