import { createSyncStoragePersister } from '@tanstack/query-sync-storage-persister';
import { partialMatchKey, type QueryKey } from '@tanstack/react-query';
import type { PersistQueryClientOptions } from '@tanstack/react-query-persist-client';
import { browserStorage, storageKeyOf, type CacheOwner } from './cacheStorage';

/*
 * What a person last saw, kept between visits so that a returning person sees it at once while
 * the API is asked again. Each entry is read only by the person and team it was saved for, as
 * Clerk has confirmed them: whoever signs in next on this browser gets their own entry or none,
 * and signing out removes every entry (see cacheStorage.ts).
 */

/** Raised when the cached shapes change: an entry saved by an older build is then dropped, not read. */
const CACHE_FORMAT = 'api-v1';
/** A person back after a week away still sees their feed at once; older than that, it is dropped. */
const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export interface CachePersistence {
  options: Omit<PersistQueryClientOptions, 'queryClient'>;
  /**
   * Saves are written only while the person's app is mounted: a throttled save still pending when
   * it unmounts (on sign-out, say) must not land after the entries were removed.
   */
  setSaving(saving: boolean): void;
}

/** Saves and restores `owner`'s successful reads whose keys start with one of `keys`. */
export function persistenceFor(owner: CacheOwner, keys: QueryKey[]): CachePersistence {
  const storage = browserStorage();
  let saving = true;
  const guarded = storage && {
    getItem: (key: string) => storage.getItem(key),
    setItem: (key: string, value: string) => {
      if (saving) storage.setItem(key, value);
    },
    removeItem: (key: string) => storage.removeItem(key),
  };
  return {
    options: {
      persister: createSyncStoragePersister({ storage: guarded, key: storageKeyOf(owner) }),
      buster: CACHE_FORMAT,
      maxAge: MAX_AGE_MS,
      dehydrateOptions: {
        shouldDehydrateQuery: (query) => query.state.status === 'success' && keys.some((key) => partialMatchKey(query.queryKey, key)),
      },
    },
    setSaving: (value) => {
      saving = value;
    },
  };
}
