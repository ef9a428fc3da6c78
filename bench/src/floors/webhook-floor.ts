/**
 * The physical floor for webhook ingestion: node:http, the Svix signature check, JSON.parse and
 * the product's own mirror writer (the same durable transaction: dedupe, staleness check, upsert,
 * event row), with no framework, no validation library and no logging. The API is measured
 * against this. Users are written through the writer here too: the database refuses any other way.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'svix';
import { openDatabase } from '@expectations/db';
import { applyClerkEvent, type ClerkUser } from '@expectations/db/mirror-writer';

const db = await openDatabase(process.env.DATABASE_URL!);
const verifier = new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const svixId = String(req.headers['svix-id']);
    try {
      verifier.verify(body, {
        'svix-id': svixId,
        'svix-timestamp': String(req.headers['svix-timestamp']),
        'svix-signature': String(req.headers['svix-signature']),
      });
    } catch {
      res.writeHead(400).end();
      return;
    }
    // Trusted as it comes: the benchmark sends only user.created and user.updated of the right shape.
    const event = JSON.parse(body.toString('utf8')) as { type: 'user.created' | 'user.updated'; timestamp: number; data: ClerkUser };
    applyClerkEvent(db, { svixId, receivedAt: Date.now(), event: { type: event.type, timestamp: event.timestamp, data: event.data } }).then(
      ({ outcome }) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, outcome })),
      () => res.writeHead(500).end(),
    );
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: 'floor listening', url: `http://127.0.0.1:${port}` }));
});
process.once('SIGTERM', () => server.close(() => void db.close()));
