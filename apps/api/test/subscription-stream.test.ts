import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { initTRPC, tracked, TRPCError } from '@trpc/server';
import { afterEach, expect, it } from 'vitest';
import { createSubscriptionStreams } from '../src/feed/subscription-stream';

// The SSE writer on its own, over a real socket: what it puts on the wire, that a client that
// stops reading holds up the procedure instead of growing a queue, and that a client leaving ends
// the procedure.

const t = initTRPC.create({ sse: { ping: { enabled: true, intervalMs: 200 }, client: { reconnectAfterInactivityMs: 1000 } } });
const MESSAGE = 'x'.repeat(64 * 1024);
const probe = { pulled: 0, finished: false };

const router = t.router({
  /** As many 64 KiB messages as the stream takes. */
  flood: t.procedure.subscription(async function* () {
    try {
      for (;;) {
        probe.pulled += 1;
        yield tracked(String(probe.pulled), MESSAGE);
      }
    } finally {
      probe.finished = true;
    }
  }),
  twoThenFail: t.procedure.input((value: unknown) => value).subscription(async function* ({ input }) {
    yield tracked('1', { echo: input });
    yield { untracked: true };
    throw new TRPCError({ code: 'FORBIDDEN', message: 'no longer allowed' });
  }),
  quiet: t.procedure.subscription(async function* ({ signal }) {
    await new Promise((resolve) => signal?.addEventListener('abort', resolve));
    yield 'after the client left: never written';
  }),
});

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function serve(options: { endsInMs?: number; random?: () => number } = {}): Promise<string> {
  const streams = createSubscriptionStreams({ router, onError: () => {}, ...(options.random ? { random: options.random } : {}) });
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://localhost');
    void streams.answer(res, {
      path: url.pathname.slice(1),
      query: url.search.slice(1),
      lastEventIdHeader: req.headers['last-event-id'] as string | undefined,
      createContext: () => ({}),
      headers: { Vary: 'Origin' },
      ...(options.endsInMs === undefined ? {} : { endsAt: Date.now() + options.endsInMs }),
    });
  });
  server.on('close', () => streams.close());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

it('writes tRPC’s SSE format: connected, tracked and plain messages, then the error that ends it', async () => {
  const url = await serve({ random: () => 1 });
  const response = await fetch(`${url}/twoThenFail?input=${encodeURIComponent(JSON.stringify({ a: 1 }))}`, { headers: { 'last-event-id': '7' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  expect(response.headers.get('vary')).toBe('Origin');
  const body = await response.text();
  const events = body.split('\n\n').filter(Boolean);
  // `retry:` makes an EventSource reconnect at once after a stream ends by itself (endsAt).
  expect(events[0]).toBe('retry: 1000\nevent: connected\ndata: {"reconnectAfterInactivityMs":1000}');
  // The reconnecting EventSource's Last-Event-ID joins the input, as tRPC's adapter does.
  expect(events[1]).toBe('id: 1\ndata: {"echo":{"a":1,"lastEventId":"7"}}');
  expect(events[2]).toBe('data: {"untracked":true}');
  expect(events[3]).toMatch(/^event: serialized-error\ndata: \{"message":"no longer allowed","code":-32003,/);
  expect(events).toHaveLength(4);
});

it('ends a stream at its time, between messages and without `return`, so that the client reconnects and resumes', async () => {
  const url = await serve({ endsInMs: 300, random: () => 1 });
  const response = await fetch(`${url}/quiet`);
  const body = await response.text();
  const events = body.split('\n\n').filter((event) => event && event !== 'event: ping\ndata: ');
  // What the procedure yields once its time is up is not written.
  expect(events).toEqual(['retry: 1000\nevent: connected\ndata: {"reconnectAfterInactivityMs":1000}']);
});

it('tells each EventSource to reconnect after a time of its own, between 0.5 and 1 s, so that they do not all come back at once', async () => {
  const draws = [0, 0.5, 0.999];
  const url = await serve({ endsInMs: 0, random: () => draws.shift()! });
  const retries: string[] = [];
  for (let n = 0; n < 3; n++) retries.push((await (await fetch(`${url}/quiet`)).text()).split('\n')[0]!);
  expect(retries).toEqual(['retry: 500', 'retry: 750', 'retry: 1000']);

  const unfixed = await serve({ endsInMs: 0 });
  for (let n = 0; n < 5; n++) {
    const retry = Number(/^retry: (\d+)\n/.exec(await (await fetch(`${unfixed}/quiet`)).text())?.[1]);
    expect(retry).toBeGreaterThanOrEqual(500);
    expect(retry).toBeLessThanOrEqual(1000);
  }
});

it('answers input that is not JSON with 400 and opens no stream', async () => {
  const url = await serve();
  const response = await fetch(`${url}/quiet?input=%7Bnot-json`);
  expect(response.status).toBe(400);
  expect(((await response.json()) as { error: { data: { code: string } } }).error.data.code).toBe('PARSE_ERROR');
});

it('pings a quiet stream', async () => {
  const url = await serve();
  const controller = new AbortController();
  const response = await fetch(`${url}/quiet`, { signal: controller.signal });
  const reader = response.body!.getReader();
  let text = '';
  const decoder = new TextDecoder();
  while (!text.includes('event: ping')) text += decoder.decode((await reader.read()).value);
  controller.abort();
});

it('stops asking the procedure for more while the client does not read, and ends it when the client leaves', async () => {
  const url = new URL(await serve());
  probe.pulled = 0;
  probe.finished = false;
  const socket = connect(Number(url.port), url.hostname);
  sockets.push(socket);
  socket.write('GET /flood HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n');
  socket.pause();

  // The socket's buffers fill, then nothing more is pulled: the stream holds no queue of its own.
  let settled = -1;
  for (let waited = 0; waited < 10_000 && settled !== probe.pulled; waited += 250) {
    settled = probe.pulled;
    await sleep(250);
  }
  expect(probe.pulled).toBe(settled);
  await sleep(500);
  expect(probe.pulled).toBe(settled);
  expect(probe.finished).toBe(false);

  socket.destroy();
  await expect.poll(() => probe.finished).toBe(true);
});
