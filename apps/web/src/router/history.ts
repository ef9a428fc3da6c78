import { useMemo, useSyncExternalStore } from 'react';

/**
 * A small history-based router: the address bar is the state. `navigate` pushes (or
 * replaces) an entry and notifies subscribers; the back and forward buttons arrive as
 * `popstate`. Components read the current location through `useLocation`.
 */

type Listener = () => void;
const listeners = new Set<Listener>();

/** Set on every in-app navigation so the next screen moves focus to its heading. */
let focusHeadingOnNextScreen = false;

function notify(): void {
  focusHeadingOnNextScreen = true;
  for (const listener of listeners) listener();
}

function subscribe(listener: Listener): () => void {
  if (listeners.size === 0) window.addEventListener('popstate', notify);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

function currentHref(): string {
  return window.location.pathname + window.location.search;
}

export interface NavigateOptions {
  replace?: boolean;
}

export function navigate(to: string, options: NavigateOptions = {}): void {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.href);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  if (options.replace) window.history.replaceState(null, '', target);
  else {
    window.history.pushState(null, '', target);
    window.scrollTo(0, 0);
  }
  notify();
}

export interface AppLocation {
  pathname: string;
  search: string;
  searchParams: URLSearchParams;
}

export function useLocation(): AppLocation {
  const href = useSyncExternalStore(subscribe, currentHref, currentHref);
  return useMemo(() => {
    const url = new URL(href, 'http://app.invalid');
    return { pathname: url.pathname, search: url.search, searchParams: url.searchParams };
  }, [href]);
}

/** True once per navigation: the first screen heading to ask takes focus. */
export function takeHeadingFocus(): boolean {
  const take = focusHeadingOnNextScreen;
  focusHeadingOnNextScreen = false;
  return take;
}
