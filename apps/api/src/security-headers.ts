import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The API answers JSON only: helmet's defaults, minus the headers that concern HTML pages
 * (Origin-Agent-Cluster, X-DNS-Prefetch-Control, X-Download-Options,
 * X-Permitted-Cross-Domain-Policies, X-XSS-Protection), with a policy that allows nothing to load
 * or frame a response.
 */
const options: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'same-site' },
  strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: true },
  xFrameOptions: { action: 'deny' },
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/** helmet's middleware, for the routes Express serves (the webhook, /healthz). */
export const securityHeaders = helmet(options);

/**
 * The same headers as one object, for `/trpc`, which writes all its headers at once: helmet
 * computes them once, here, against a response that records them, since they are the same for
 * every answer (the read path pays nothing per request for them).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze(headersSetBy(securityHeaders));

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

function headersSetBy(middleware: ReturnType<typeof helmet>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string) => void (headers[name] = value),
    removeHeader: () => {},
  };
  let done = false;
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    done = true;
  });
  // helmet sets fixed headers synchronously; anything else would leave this list incomplete.
  if (!done) throw new Error('helmet did not finish synchronously: the security headers could not be computed once');
  return headers;
}
