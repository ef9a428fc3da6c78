import { TRPCClientError } from '@trpc/client';
import { ServerFailureError } from './serverFailure';

interface ErrorData {
  code?: string;
  httpStatus?: number;
}

function dataOf(error: unknown): ErrorData | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  return (error.data ?? undefined) as ErrorData | undefined;
}

/**
 * The HTTP status the API (or whatever stands in front of it) answered with; undefined when
 * nothing answered. A proxy's 502 or 503 carries no tRPC error body, only the response's status.
 */
function httpStatusOf(error: unknown): number | undefined {
  const fromBody = dataOf(error)?.httpStatus;
  if (fromBody !== undefined) return fromBody;
  if (!(error instanceof TRPCClientError)) return undefined;
  if (error.cause instanceof ServerFailureError) return error.cause.status;
  const status = (error.meta as { response?: { status?: unknown } } | undefined)?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** tRPC's error code, or undefined when the API did not answer with one. */
export function apiErrorCode(error: unknown): string | undefined {
  return dataOf(error)?.code;
}

export function isPreconditionFailed(error: unknown): boolean {
  return apiErrorCode(error) === 'PRECONDITION_FAILED';
}

/** Worth trying again automatically: no answer at all, or the server failed. */
export function isTransient(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === undefined || status >= 500 || status === 429;
}

/** One sentence a person can act on. */
export function describeApiError(error: unknown): string {
  const code = apiErrorCode(error);
  // These carry messages written for the person using the app.
  const serverMessage = error instanceof Error && error.message ? error.message : null;
  switch (code) {
    case undefined:
      return (httpStatusOf(error) ?? 0) >= 500
        ? 'The server isn’t working right now. Try again in a moment.'
        : 'We couldn’t reach the server. Check your connection and try again.';
    case 'UNAUTHORIZED':
      return 'Your session has ended. Sign in again to continue.';
    case 'FORBIDDEN':
      return serverMessage ?? 'You’re not allowed to do that.';
    case 'NOT_FOUND':
      return serverMessage ?? 'We couldn’t find that.';
    case 'BAD_REQUEST':
      return serverMessage ?? 'The server didn’t accept that. Check the fields and try again.';
    case 'PRECONDITION_FAILED':
      return serverMessage ?? 'Your account is still being set up. Try again in a moment.';
    case 'TOO_MANY_REQUESTS':
      return 'Too many requests. Wait a moment and try again.';
    default:
      return 'Something went wrong on our side. Try again in a moment.';
  }
}
