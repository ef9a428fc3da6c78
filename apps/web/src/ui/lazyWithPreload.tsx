import { lazy, type ComponentType } from 'react';

export interface PreloadableComponent<P extends object> {
  Component: ComponentType<P>;
  /** Starts loading the module; resolves once it is loaded (rejects as the import does). */
  preload(): Promise<unknown>;
}

/**
 * Like `React.lazy`, but once the module has loaded (through `preload`, or a first render), it
 * renders at once. `React.lazy` suspends on its first render even when the module is already
 * loaded, and React then holds the revealed screen back by up to 300 ms after the fallback
 * showed (its Suspense throttling): on a phone, the preloaded feed appeared that much later.
 */
export function lazyWithPreload<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): PreloadableComponent<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<{ default: ComponentType<P> }> | undefined;
  const preload = () => {
    loading ??= load().then(
      (module) => {
        loaded = module.default;
        return module;
      },
      (error: unknown) => {
        // A failed load may succeed when tried again (the next render's lazy retries).
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  const Lazy = lazy(preload);
  function Component(props: P) {
    // `Lazy` never commits, so switching to `Loaded` remounts nothing: its promise settles only
    // after `loaded` is set, and the render after its suspension renders the module directly.
    const Loaded = loaded;
    return Loaded ? <Loaded {...props} /> : <Lazy {...props} />;
  }
  return { Component, preload };
}
