import { createServer, request, type Server } from 'node:http';

/** What went through the proxy: one entry per request, in the order answered. */
export interface ProxiedRequest {
  method: string;
  /** The path without its query string. */
  path: string;
  status: number;
}

/**
 * Clerk's Backend API as the API and the audit see it, through a loopback proxy that counts every
 * request it forwards to the stand-in and the status the stand-in answered.
 */
export async function startCountingProxy(target: string): Promise<{ url: string; requests: ProxiedRequest[]; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const requests: ProxiedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const upstream = request({ hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      requests.push({ method: req.method ?? 'GET', path: (req.url ?? '').split('?')[0]!, status: answer.statusCode ?? 0 });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
