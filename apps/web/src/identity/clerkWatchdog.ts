import { useEffect, useState } from 'react';

/**
 * How long clerk-js may take to become ready before the SPA says sign-in is unavailable. Clerk's
 * own script loader waits 15 s, and a Frontend API that never answers keeps it loading longer: a
 * person should know well before that (the issue asked for 10 s at most, under a slow CPU too).
 */
export const CLERK_READY_DEADLINE_MS = 7000;

/** Why sign-in cannot be offered: Clerk failed to load, or has not become ready in time. */
export type ClerkUnavailability = 'failed' | 'not-ready';

/**
 * Bounds the wait for Clerk. `failed` comes from Clerk (`<ClerkFailed>`); when Clerk is still
 * loading at the deadline, `not-ready`: shown until Clerk either fails or becomes ready after
 * all, in which case the app carries on by itself.
 */
export function useClerkUnavailability({ isLoaded, failed }: { isLoaded: boolean; failed: boolean }): ClerkUnavailability | null {
  const [pastDeadline, setPastDeadline] = useState(false);
  useEffect(() => {
    if (isLoaded || failed) return;
    const timer = window.setTimeout(() => {
      setPastDeadline(true);
      // For a developer: the screen names no hosts, the console does.
      console.error(
        `Clerk has not finished loading after ${CLERK_READY_DEADLINE_MS / 1000} s: clerk-js or Clerk's Frontend API is unreachable, blocked or failing. ` +
          'Check the network panel for the failed requests to Clerk (or to VITE_CLERK_PROXY_URL), and that VITE_CLERK_PUBLISHABLE_KEY names a live instance.',
      );
    }, CLERK_READY_DEADLINE_MS);
    return () => window.clearTimeout(timer);
  }, [isLoaded, failed]);

  if (isLoaded) return null;
  if (failed) return 'failed';
  return pastDeadline ? 'not-ready' : null;
}
