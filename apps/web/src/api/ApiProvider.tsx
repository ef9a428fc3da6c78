import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { httpBatchLink } from '@trpc/client';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { settings } from '../env';
import { useIdentity } from '../identity';
import { fetchKeepingServerFailures } from './serverFailure';
import { readRetryDelay, refetchWhileUnavailable, shouldRetryRead } from './retryPolicy';
import { trpc } from './trpc';

export interface ApiProviderProps {
  children: ReactNode;
  apiUrl?: string;
  /** For tests: answer requests without a network. */
  fetch?: typeof fetch;
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
export function ApiProvider({ children, apiUrl = settings.apiUrl, fetch: fetchImpl }: ApiProviderProps) {
  const { getToken } = useIdentity();
  const getTokenRef = useRef(getToken);
  useEffect(() => {
    getTokenRef.current = getToken;
  }, [getToken]);

  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(() =>
    trpc.createClient({
      links: [
        httpBatchLink({
          url: `${apiUrl}/trpc`,
          // Long batched GETs fall back to several requests instead of failing at a proxy.
          maxURLLength: 2000,
          fetch: fetchKeepingServerFailures(fetchImpl),
          async headers() {
            const token = await getTokenRef.current();
            return token ? { Authorization: `Bearer ${token}` } : {};
          },
        }),
      ],
    }),
  );

  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
