import type { ServerResponse } from 'node:http';
import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape, isTrackedEnvelope, TRPCError, type AnyTRPCRouter } from '@trpc/server';

/**
 * tRPC subscriptions over SSE, in tRPC's own wire format (what `httpSubscriptionLink` reads: a
 * `connected` event with the client options, `id:`/`data:` messages, `ping` events, then
 * `return` or `serialized-error`), written straight to the socket: each message is one string
 * and one write, and a stream costs a generator and a few closures.
 *
 * Why not tRPC's adapter: per message it enqueues four or five strings through two web-stream
 * transforms (a TransformStream and a TextEncoderStream) and writes each with its own awaited
 * write, and every open stream carries those pipelines and its own ping timer. With 1,000 open
 * feeds that was most of the CPU of delivering a change and ~95 KiB per idle stream (figures in
 * docs/live-feed.md). Inputs, middleware and errors still go through tRPC (`callTRPCProcedure`,
 * the router's error formatter). The router has no data transformer, so messages are plain JSON.
 */
export interface SubscriptionStreams {
  /**
   * Answers a subscription GET: runs the procedure as the request's caller and streams what it
   * yields until it ends, fails (the error is the stream's last event) or the client leaves.
   */
  answer(res: ServerResponse, call: SubscriptionCall): Promise<void>;
  /** Stops the shared ping timer (open streams are closed by their owner). */
  close(): void;
}

export interface SubscriptionCall {
  path: string;
  /** The request's query string, without `?`. */
  query: string;
  /** The `Last-Event-ID` header an EventSource sends when it reconnects by itself. */
  lastEventIdHeader: string | undefined;
  createContext: () => object;
  /** Headers of the answer besides the SSE ones (security, CORS, Vary). */
  headers: Record<string, string>;
  /**
   * When the stream ends by itself (ms since the epoch): between two messages, without `return`,
   * as a dropped connection does, so that an EventSource reconnects and resumes from its last id.
   */
  endsAt?: number;
}

/**
 * How long an EventSource waits before it reconnects (the `retry:` field; the `eventsource`
 * package's default is 3 s, with no back-off): after a stream ends at its token's expiry the feed
 * is behind for this long at most, and a client of a replica that is down tries again about once
 * a second, not faster. Each stream gets a time drawn from the upper half of it, so that the
 * clients of an API that restarts do not all reconnect in the same instant.
 */
const RECONNECT_AFTER_MS = 1000;

export interface SubscriptionStreamsOptions {
  router: AnyTRPCRouter;
  onError: (failure: { error: TRPCError; path: string; type: 'subscription' }) => void;
  /** Draws each stream's reconnection time (Math.random unless a test fixes it). */
  random?: () => number;
}

interface SseConfig {
  ping?: { enabled?: boolean; intervalMs?: number };
  client?: { reconnectAfterInactivityMs?: number };
}

/** An open stream, as the ping timer sees it. */
interface OpenStream {
  res: ServerResponse;
  lastWriteAt: number;
  /** Waiting for the socket to drain: nothing more is written until it has. */
  blocked: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> => isObject(value) && Symbol.asyncIterator in value;

/** The procedure's input: tRPC's `input` query parameter, with the position a reconnecting EventSource sends (as tRPC's adapter does). */
function inputOf(query: string, lastEventIdHeader: string | undefined): unknown {
  const params = new URLSearchParams(query);
  const raw = params.get('input');
  let input: unknown = raw === null ? undefined : JSON.parse(raw);
  const lastEventId = lastEventIdHeader ?? params.get('lastEventId') ?? params.get('Last-Event-Id');
  if (lastEventId) input = isObject(input) ? { ...input, lastEventId } : (input ?? { lastEventId });
  return input;
}

export function createSubscriptionStreams({ router, onError, random = Math.random }: SubscriptionStreamsOptions): SubscriptionStreams {
  const config = router._def._config;
  const sse = (config as { sse?: SseConfig }).sse ?? {};
  const connectedEvent = `event: connected\ndata: ${JSON.stringify(sse.client ?? {})}\n\n`;
  const connected = () => `retry: ${Math.round(RECONNECT_AFTER_MS / 2 + (random() * RECONNECT_AFTER_MS) / 2)}\n${connectedEvent}`;
  const pingIntervalMs = sse.ping?.enabled ? (sse.ping.intervalMs ?? 1000) : null;

  // One timer for every open stream: a ping to each that wrote nothing for half an interval.
  const open = new Set<OpenStream>();
  const pinger =
    pingIntervalMs === null
      ? null
      : setInterval(() => {
          const quietSince = Date.now() - pingIntervalMs / 2;
          for (const stream of open) {
            if (stream.blocked || stream.lastWriteAt > quietSince) continue;
            stream.lastWriteAt = Date.now();
            stream.blocked = !stream.res.write('event: ping\ndata: \n\n');
          }
        }, pingIntervalMs).unref();

  return {
    async answer(res, { path, query, lastEventIdHeader, createContext, headers, endsAt }) {
      let input: unknown;
      try {
        input = inputOf(query, lastEventIdHeader);
      } catch {
        const error = new TRPCError({ code: 'PARSE_ERROR', message: 'The "input" query parameter is not valid JSON.' });
        const shape = getTRPCErrorShape({ config, ctx: undefined, error, input: undefined, path, type: 'subscription' });
        res.writeHead(400, { ...headers, 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: shape }));
        return;
      }

      // Aborted when the client leaves or the stream's time is up: the procedure stops either way.
      const stopped = new AbortController();
      const stream: OpenStream = { res, lastWriteAt: Date.now(), blocked: false };
      let drained: (() => void) | null = null;
      const onDrain = () => {
        stream.blocked = false;
        drained?.();
      };
      const onClose = () => {
        stopped.abort();
        drained?.();
      };
      res.on('drain', onDrain);
      res.once('close', onClose);
      let timeUp = false;
      const ending =
        endsAt === undefined
          ? undefined
          : setTimeout(() => {
              timeUp = true;
              stopped.abort();
              drained?.();
            }, Math.max(0, endsAt - Date.now()));
      /** Writes one whole message; resolves once the socket took it (at once, unless it is full). */
      const send = async (message: string) => {
        stream.lastWriteAt = Date.now();
        if (res.write(message)) return;
        stream.blocked = true;
        await new Promise<void>((resolve) => (drained = resolve));
        drained = null;
      };

      res.writeHead(200, {
        ...headers,
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store, no-transform',
        'X-Accel-Buffering': 'no',
        Connection: 'keep-alive',
      });
      res.write(connected());
      open.add(stream);
      const ctx = createContext();
      try {
        const result: unknown = await callTRPCProcedure({ router, path, getRawInput: async () => input, ctx, type: 'subscription', signal: stopped.signal, batchIndex: 0 });
        if (!isAsyncIterable(result)) throw new Error(`subscription ${path} did not return an async iterable`);
        const iterator = result[Symbol.asyncIterator]();
        try {
          while (!stopped.signal.aborted) {
            const next = await iterator.next();
            if (next.done || stopped.signal.aborted) break;
            const value = next.value;
            await send(isTrackedEnvelope(value) ? `id: ${value[0]}\ndata: ${JSON.stringify(value[1])}\n\n` : `data: ${JSON.stringify(value)}\n\n`);
          }
        } finally {
          await iterator.return?.();
        }
        if (timeUp) res.end();
        else if (!stopped.signal.aborted) res.end('event: return\ndata: \n\n');
      } catch (cause) {
        if (timeUp) res.end();
        if (stopped.signal.aborted) return;
        const error = getTRPCErrorFromUnknown(cause);
        onError({ error, path, type: 'subscription' });
        const shape = getTRPCErrorShape({ config, ctx, error, input, path, type: 'subscription' });
        res.end(`event: serialized-error\ndata: ${JSON.stringify(shape)}\n\n`);
      } finally {
        clearTimeout(ending);
        open.delete(stream);
        res.off('drain', onDrain);
        res.off('close', onClose);
      }
    },
    close() {
      if (pinger) clearInterval(pinger);
    },
  };
}
