import { clerkJSScriptUrl, clerkUIScriptUrl } from '@clerk/shared/loadClerkJsScript';
import type { HtmlTagDescriptor, Plugin } from 'vite';
import type { ClerkTarget } from './clerk-target.ts';

/**
 * Preloads clerk-js and @clerk/ui from index.html. `<ClerkProvider>` adds their script tags only
 * once React has mounted, and @clerk/ui's only once clerk-js has run: on a slow phone that put
 * each download behind hundreds of milliseconds of script execution. Preloaded, both are in
 * hand when asked for. The URLs come from the same function of @clerk/shared that
 * `<ClerkProvider>` calls, with the same key and proxy URL, so they are the ones it loads;
 * `crossorigin="anonymous"` matches the tags it adds, or the browser would fetch each twice.
 * Only preloads: the scripts still run when `<ClerkProvider>` adds them, after the app's own
 * listener for a blocked Clerk script is in place (identity/clerkWatchdog.ts).
 */
export function preloadClerkScripts(target: Pick<ClerkTarget, 'publishableKey' | 'proxyUrl'>): Plugin {
  const options = { publishableKey: target.publishableKey, proxyUrl: target.proxyUrl || undefined };
  const preload = (href: string): HtmlTagDescriptor => ({
    tag: 'link',
    attrs: { rel: 'preload', as: 'script', href, crossorigin: 'anonymous' },
    injectTo: 'head',
  });
  return {
    name: 'expectations:preload-clerk-scripts',
    transformIndexHtml: () => [preload(clerkJSScriptUrl(options)), preload(clerkUIScriptUrl(options))],
  };
}
