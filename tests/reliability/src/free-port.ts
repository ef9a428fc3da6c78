import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback port that is free right now. The API is killed and restarted on one fixed port (the
 * stand-in's webhook URL and the readers keep pointing at it), so it cannot simply ask for port 0.
 */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
