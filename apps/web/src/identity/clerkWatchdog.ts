import { useEffect, useState, useSyncExternalStore } from 'react';

/**
 * How long after navigation clerk-js may take to become ready before the SPA says sign-in is
 * unavailable. Clerk's own script loader waits 15 s, and a Frontend API that keeps failing keeps
 * it loading for longer: a person should know well before that (10 s at most, on a slow CPU too).
 */
export const CLERK_READY_DEADLINE_MS = 7000;

/** Why sign-in cannot be offered: Clerk failed to load, or has not become ready in time. */
export type ClerkUnavailability = 'failed' | 'not-ready';

/** The script tags that @clerk/react adds for clerk-js and Clerk's UI (both carry the key). */
function isClerkScript(target: EventTarget | null): target is HTMLScriptElement {
  return target instanceof HTMLScriptElement && target.hasAttribute('data-clerk-publishable-key');
}

let clerkScriptFailed = false;
const scriptFailureListeners = new Set<() => void>();

/**
 * Listening from the moment this module loads, before <ClerkProvider> adds the script tags: a
 * blocked script can fail before any effect of ours has run. A script's `error` does not bubble;
 * the window sees it in the capture phase.
 */
if (typeof window !== 'undefined') {
  window.addEventListener(
    'error',
    (event) => {
      if (!isClerkScript(event.target)) return;
      console.error(`Clerk's script ${event.target.src} could not be loaded: the network, a blocker or a proxy stopped it, or Clerk is down.`);
      clerkScriptFailed = true;
      scriptFailureListeners.forEach((listener) => listener());
    },
    true,
  );
}

function subscribeToScriptFailure(listener: () => void): () => void {
  scriptFailureListeners.add(listener);
  return () => scriptFailureListeners.delete(listener);
}

/**
 * Bounds the wait for Clerk. `failed` when Clerk says so (`<ClerkFailed>`) or its script could not
 * be fetched (Clerk's loader retries it, and reports failure only at its 15 s timeout); should a
 * retry load it after all, the app carries on. `not-ready` when Clerk is still
 * loading at the deadline, shown until Clerk either fails or becomes ready after all, in which
 * case the app carries on by itself.
 */
export function useClerkUnavailability({ isLoaded, failed }: { isLoaded: boolean; failed: boolean }): ClerkUnavailability | null {
  const [pastDeadline, setPastDeadline] = useState(false);
  // The deadline is for the page's first load of Clerk. Later, clerk-js may report itself not
  // loaded for a moment (signing out, say), long after navigation: that is no outage.
  const [loadedOnce, setLoadedOnce] = useState(isLoaded);
  if (isLoaded && !loadedOnce) setLoadedOnce(true);
  const scriptFailed = useSyncExternalStore(
    subscribeToScriptFailure,
    () => clerkScriptFailed,
    () => false,
  );

  useEffect(() => {
    if (isLoaded || failed || loadedOnce) return;
    const timer = window.setTimeout(
      () => {
        setPastDeadline(true);
        // For a developer: the screen names no hosts, the console does. A warning: Clerk may
        // still load, and the screen then gives way by itself.
        console.warn(
          `Clerk has not finished loading ${CLERK_READY_DEADLINE_MS / 1000} s after navigation: clerk-js or Clerk's Frontend API is unreachable, blocked or failing. ` +
            'Check the network panel for the failed requests to Clerk (or to VITE_CLERK_PROXY_URL), and that VITE_CLERK_PUBLISHABLE_KEY names a live instance.',
        );
      },
      Math.max(0, CLERK_READY_DEADLINE_MS - performance.now()),
    );
    return () => window.clearTimeout(timer);
  }, [isLoaded, failed, loadedOnce]);

  if (isLoaded || loadedOnce) return null;
  if (failed || scriptFailed) return 'failed';
  return pastDeadline ? 'not-ready' : null;
}
