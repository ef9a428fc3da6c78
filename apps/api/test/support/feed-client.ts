import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClientError } from '@trpc/client';
import { EventSource, type FetchLike } from 'eventsource';
import type { AppRouter, FeedEvent } from '@expectations/router';

/** A message of feed.changes as tRPC's client hands it over: the event and its tracked id. */
export interface FeedMessage {
  id: string;
  data: FeedEvent;
}

/**
 * How the session token reaches the stream: `header` as an EventSource that sends headers does
 * (the `eventsource` package's `fetch` option), `connectionParams` as the browser's own
 * EventSource must (it cannot send headers).
 */
export type TokenTransport = 'header' | 'connectionParams';

/**
 * tRPC's own client as the SPA wires it: `httpSubscriptionLink` for subscriptions beside the
 * batch link, over a real EventSource. `token()` is asked on every (re)connection, as Clerk's
 * `getToken()` would be.
 */
export function feedClient(apiUrl: string, token: () => string, transport: TokenTransport = 'header') {
  const url = `${apiUrl}/trpc`;
  const withToken: FetchLike = (input, init) => fetch(input, { ...init, headers: { ...init.headers, authorization: `Bearer ${token()}` } });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true:
          transport === 'header'
            ? httpSubscriptionLink({ url, EventSource, eventSourceOptions: () => ({ fetch: withToken }) })
            : httpSubscriptionLink({ url, EventSource, connectionParams: () => ({ token: token() }) }),
        false: httpBatchLink({ url, headers: () => ({ authorization: `Bearer ${token()}` }) }),
      }),
    ],
  });
}

/**
 * Opens feed.changes and collects what arrives; `until` waits for a message (or the error that
 * ended the stream), woken by each arrival rather than by polling.
 */
export function openFeed(client: ReturnType<typeof feedClient>, input: { lastEventId?: string } = {}) {
  const messages: FeedMessage[] = [];
  const waiters = new Set<() => void>();
  let failure: TRPCClientError<AppRouter> | undefined;
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  const subscription = client.feed.changes.subscribe(input, {
    onData: (message) => {
      messages.push(message as FeedMessage);
      notify();
    },
    onError: (error) => {
      failure = error;
      notify();
    },
  });
  return {
    messages,
    /** The first message from index `from` on that `matches`; rejects with the stream's error if it ends first. */
    async until(matches: (message: FeedMessage) => boolean, from = 0): Promise<FeedMessage> {
      for (;;) {
        const found = messages.slice(from).find(matches);
        if (found) return found;
        if (failure) throw failure;
        await new Promise<void>((resolve) => {
          const done = () => {
            waiters.delete(done);
            resolve();
          };
          waiters.add(done);
        });
      }
    },
    close: () => subscription.unsubscribe(),
  };
}

export const isType =
  <T extends FeedEvent['type']>(type: T, title?: string) =>
  (message: FeedMessage) =>
    message.data.type === type && (title === undefined || ('expectation' in message.data && message.data.expectation.title === title));
