import { QueryClient, QueryClientProvider, type QueryKey } from '@tanstack/react-query';
import { PersistQueryClientProvider } from '@tanstack/react-query-persist-client';
import { httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { settings } from '../env';
import { useIdentity } from '../identity';
import type { CacheOwner } from './cacheStorage';
import { persistenceFor } from './persistedCache';
import { fetchKeepingServerFailures } from './serverFailure';
import { readRetryDelay, refetchWhileUnavailable, shouldRetryRead } from './retryPolicy';
import { trpc } from './trpc';

export interface ApiProviderProps {
  children: ReactNode;
  apiUrl?: string;
  /** For tests: answer requests without a network. */
  fetch?: typeof fetch;
  /** Keeps these reads between visits, for this person and team only (see persistedCache.ts). */
  persist?: { owner: CacheOwner; queries: QueryKey[] };
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: shouldRetryRead,
        retryDelay: readRetryDelay,
        refetchInterval: refetchWhileUnavailable,
        // Back online, every screen shows the latest, whatever its age.
        refetchOnReconnect: 'always',
      },
      mutations: { retry: false },
    },
  });
}

/** The tRPC client: every request carries a fresh session token from the identity module. */
export function ApiProvider({ children, apiUrl = settings.apiUrl, fetch: fetchImpl, persist }: ApiProviderProps) {
  const { getToken } = useIdentity();
  const getTokenRef = useRef(getToken);
  useEffect(() => {
    getTokenRef.current = getToken;
  }, [getToken]);

  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(() => {
    const authorization = async (): Promise<Record<string, string>> => {
      const token = await getTokenRef.current();
      return token ? { Authorization: `Bearer ${token}` } : {};
    };
    const fetchOrDefault = fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
    return trpc.createClient({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          // The live feed (feed.changes). The `eventsource` package instead of the browser's own
          // EventSource: it asks for a fresh session token on every (re)connection, where the
          // browser's would reconnect with the token of the first, expired within a minute.
          true: httpSubscriptionLink({
            url: `${apiUrl}/trpc`,
            EventSource,
            eventSourceOptions: () => ({
              fetch: async (input, init) => fetchOrDefault(input, { ...init, headers: { ...init.headers, ...(await authorization()) } }),
            }),
          }),
          false: httpBatchLink({
            url: `${apiUrl}/trpc`,
            // Long batched GETs fall back to several requests instead of failing at a proxy.
            maxURLLength: 2000,
            fetch: fetchKeepingServerFailures(fetchImpl),
            headers: authorization,
          }),
        }),
      ],
    });
  });

  // Fixed for the provider's life: a different person or team mounts a new provider (see App).
  const [persistence] = useState(() => (persist ? persistenceFor(persist.owner, persist.queries) : null));
  useEffect(() => {
    persistence?.setSaving(true);
    return () => persistence?.setSaving(false);
  }, [persistence]);

  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      {persistence ? (
        <PersistQueryClientProvider
          client={queryClient}
          persistOptions={persistence.options}
          // What was restored is last visit's: shown at once, and asked for again as soon as it is used.
          onSuccess={() => void queryClient.invalidateQueries()}
        >
          {children}
        </PersistQueryClientProvider>
      ) : (
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      )}
    </trpc.Provider>
  );
}
