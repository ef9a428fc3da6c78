import { getQueryKey } from '@trpc/react-query';
import { useRef, type ReactNode } from 'react';
import { describeApiError, isPreconditionFailed, isTransient } from '../api/errors';
import { trpc } from '../api/trpc';
import { useIdentity } from '../identity';
import { ViewerContext } from './ViewerContext';

export interface AccountGateProps {
  children: ReactNode;
  /** How long to keep waiting for the account to appear in the API (webhooks usually take seconds). */
  setupWindowMs?: number;
}

/** The key of the account check's read in the query cache. */
export const accountKey = getQueryKey(trpc.users.ensureExists);

/** 0.5 s, 1 s, 2 s, then every 3 s. */
export function setupRetryDelay(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 3000);
}

/**
 * The API knows a user once Clerk's webhook has reached it. Until then `users.ensureExists`
 * answers PRECONDITION_FAILED: wait for it, with back-off, then give up with something to
 * tell support. Nothing here creates the account; only the webhook does.
 */
export function AccountGate({ children, setupWindowMs = 20_000 }: AccountGateProps) {
  const identity = useIdentity();
  const startedAt = useRef(Date.now());

  const account = trpc.users.ensureExists.useQuery(undefined, {
    enabled: identity.isLoaded && identity.isSignedIn,
    staleTime: Infinity,
    retry: (failureCount, error) => {
      if (isPreconditionFailed(error)) return Date.now() - startedAt.current < setupWindowMs;
      return failureCount < 2 && isTransient(error);
    },
    // The last attempt lands at the end of the window, not a back-off step after it.
    retryDelay: (attempt) => Math.min(setupRetryDelay(attempt), Math.max(0, setupWindowMs - (Date.now() - startedAt.current))),
  });

  function tryAgain() {
    startedAt.current = Date.now();
    void account.refetch();
  }

  // Saved from a previous visit, the account is shown at once; an answer refusing it since wins.
  const refused = account.isError && !isTransient(account.error);
  if (account.data && !refused) {
    return <ViewerContext.Provider value={{ userId: account.data.id }}>{children}</ViewerContext.Provider>;
  }

  const settingUp = isPreconditionFailed(account.failureReason);

  if (account.isError && isPreconditionFailed(account.error)) {
    return (
      <section className="page page--narrow notice-page" aria-labelledby="setup-failed-title">
        <h1 id="setup-failed-title" tabIndex={-1}>
          We couldn’t set up your account
        </h1>
        <p role="alert">
          {identity.activeTeam
            ? 'Your sign-in worked, but your account or your membership of this team hasn’t reached Expectations yet. Contact support and quote your user id and the team’s:'
            : 'Your sign-in worked, but your account hasn’t reached Expectations yet. Contact support and quote your user id:'}
        </p>
        <p>
          <code className="support-code">{identity.user?.id ?? 'unknown'}</code>
        </p>
        {identity.activeTeam ? (
          <p>
            <code className="support-code">{identity.activeTeam.id}</code>
          </p>
        ) : null}
        <p>
          <button type="button" className="button" onClick={tryAgain}>
            Try again
          </button>
        </p>
      </section>
    );
  }

  if (account.isError) {
    return (
      <section className="page page--narrow notice-page" aria-labelledby="account-error-title">
        <h1 id="account-error-title" tabIndex={-1}>
          We couldn’t load your account
        </h1>
        <p role="alert">{describeApiError(account.error)}</p>
        <p>
          <button type="button" className="button" onClick={tryAgain}>
            Try again
          </button>
        </p>
      </section>
    );
  }

  return (
    <section className="page page--narrow notice-page" aria-busy="true" aria-labelledby="account-loading-title">
      <h1 id="account-loading-title" className="visually-hidden">
        Your account
      </h1>
      <div className="spinner" aria-hidden="true" />
      <p role="status">{settingUp ? 'Setting up your account…' : 'Loading your account…'}</p>
      {settingUp ? <p className="muted">This usually takes a few seconds.</p> : null}
    </section>
  );
}
