/**
 * A 5xx that carries no tRPC error body: a proxy or load balancer in front of the API answering
 * while the API is down. tRPC would report it as unreadable JSON; this keeps the status.
 */
export class ServerFailureError extends Error {
  constructor(readonly status: number) {
    super(`The API answered HTTP ${status} without a tRPC error body (a proxy in front of it, while the API is down?).`);
    this.name = 'ServerFailureError';
  }
}

/** `fetch`, failing with ServerFailureError when a 5xx is not the API's own JSON. */
export function fetchKeepingServerFailures(fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args)): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const isJson = response.headers.get('content-type')?.includes('json') ?? false;
    if (response.status >= 500 && !isJson) throw new ServerFailureError(response.status);
    return response;
  };
}
