import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { IdentityContext, type Identity, type IdentityContextValue, type IdentityUser } from '../context';
import { createStandInClient, IdentityServiceError, type StandInClient } from './client';
import { createStandInUi } from './ui';

interface SessionState {
  isLoaded: boolean;
  user: IdentityUser | null;
  loadError: string | null;
}

export interface StandInIdentityProviderProps {
  baseUrl: string;
  children: ReactNode;
  /** For tests: a client talking to a stand-in somewhere else. */
  client?: StandInClient;
}

const sameUser = (a: IdentityUser | null, b: IdentityUser | null) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Identity from the local Clerk stand-in. The session lives on the stand-in's origin; this
 * asks it who is signed in on load and whenever the tab comes back into view (the profile
 * may have been edited on the stand-in's page meanwhile).
 */
export function StandInIdentityProvider({ baseUrl, children, client: givenClient }: StandInIdentityProviderProps) {
  const client = useMemo(() => givenClient ?? createStandInClient(baseUrl), [baseUrl, givenClient]);
  const ui = useMemo(() => createStandInUi(client), [client]);
  const [session, setSession] = useState<SessionState>({ isLoaded: false, user: null, loadError: null });
  const userIdRef = useRef<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const user = await client.me();
      if (user?.id !== userIdRef.current) client.forgetToken();
      userIdRef.current = user?.id ?? null;
      setSession((previous) =>
        previous.isLoaded && !previous.loadError && sameUser(previous.user, user) ? previous : { isLoaded: true, user, loadError: null },
      );
    } catch (error) {
      const message = error instanceof IdentityServiceError ? error.message : 'The sign-in service answered unexpectedly.';
      setSession((previous) => ({ ...previous, isLoaded: true, loadError: message }));
    }
  }, [client]);

  useEffect(() => {
    void refresh();
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
    };
  }, [refresh]);

  const getToken = useCallback(async () => {
    const jwt = await client.token();
    // The session ended elsewhere (signed out in another tab, or expired).
    if (jwt === null) setSession((previous) => (previous.user ? { ...previous, user: null } : previous));
    return jwt;
  }, [client]);

  const value = useMemo<IdentityContextValue>(() => {
    const identity: Identity = {
      isLoaded: session.isLoaded,
      isSignedIn: session.user !== null,
      user: session.user,
      getToken,
      loadError: session.loadError,
    };
    return { identity, ui };
  }, [session, getToken, ui]);

  return <IdentityContext.Provider value={value}>{children}</IdentityContext.Provider>;
}
