import { clerkUIScriptUrl, loadClerkUIScript } from '@clerk/shared/loadClerkJsScript';
import type { ClerkUIConstructor, ClerkUIInstance } from '@clerk/shared/ui';

/** The browser's next idle moment (at most 3 s away), or the next task where it cannot say (Safari). */
function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(() => resolve(), { timeout: 3000 });
    else window.setTimeout(resolve, 1);
  });
}

/**
 * Clerk's UI (@clerk/ui), loaded and run when Clerk first shows one of its components, instead
 * of before Clerk starts. Given no `ui`, `<ClerkProvider>` waits for the UI script to download
 * and run before it lets clerk-js ask the Frontend API who is signed in; on a slow phone that
 * put the script's execution (a few hundred milliseconds at 4× CPU) in front of every signed-in
 * screen, which shows none of Clerk's components until its data is in (see SignedInApp's
 * AccountMenus). clerk-js takes `ui.ClerkUI` as a constructor (@clerk/shared's
 * ClerkUIConstructor) and calls only `ensureMounted` on what it builds: this one loads the real
 * UI at the first `ensureMounted`, through the same @clerk/shared loader and URL `<ClerkProvider>`
 * would use (index.html preloads it), and hands it every call from then on.
 */
export function deferredClerkUI(options: { publishableKey: string; proxyUrl: string | undefined }): ClerkUIConstructor {
  const scriptOptions = { publishableKey: options.publishableKey, proxyUrl: options.proxyUrl };
  const version = /@clerk\/ui@([^/]+)\//.exec(clerkUIScriptUrl(scriptOptions))?.[1] ?? 'unknown';
  let loading: Promise<ClerkUIConstructor> | undefined;
  const load = () =>
    (loading ??= loadClerkUIScript(scriptOptions).then(() => {
      const Real = (window as { __internal_ClerkUICtor?: ClerkUIConstructor }).__internal_ClerkUICtor;
      if (!Real) throw new Error('Clerk’s UI script loaded but did not define its entry: is it the @clerk/ui this clerk-js expects?');
      return Real;
    }));

  return class DeferredClerkUI implements ClerkUIInstance {
    static readonly version = version;
    readonly version = version;
    readonly #args: ConstructorParameters<ClerkUIConstructor>;
    #ui: Promise<ClerkUIInstance> | undefined;

    constructor(...args: ConstructorParameters<ClerkUIConstructor>) {
      this.#args = args;
    }

    ensureMounted(mountOptions?: Parameters<ClerkUIInstance['ensureMounted']>[0]) {
      // A component to show (it names itself in `preloadHint`) loads the UI now; clerk-js's own
      // calls without one (it prefetches the team switcher's data right after it loads) wait for
      // an idle moment, so as not to run the UI's script in the way of the first screen.
      const ready = this.#ui ?? (mountOptions?.preloadHint ? undefined : whenIdle());
      return Promise.resolve(ready)
        .then(() => (this.#ui ??= load().then((Real) => new Real(...this.#args))))
        .then((ui) => ui.ensureMounted(mountOptions));
    }
  };
}
