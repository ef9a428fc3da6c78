/**
 * Where a person's reads are kept between visits: one localStorage entry per person and team. Its
 * own module, free of React Query, because the app's entry removes entries the moment Clerk says
 * who is here, before the signed-in app (and React Query) has loaded (see App).
 */

const KEY_PREFIX = 'expectations.cache:';

/** Whose reads an entry holds: Clerk's user id, and the active team's id (null: personal). */
export interface CacheOwner {
  userId: string;
  teamId: string | null;
}

const ownerPrefix = (userId: string) => `${KEY_PREFIX}${userId}:`;

export const storageKeyOf = ({ userId, teamId }: CacheOwner) => `${ownerPrefix(userId)}${teamId ?? 'personal'}`;

/** localStorage, or nothing where the browser refuses it (storage blocked, some private modes). */
export function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** Removes every saved entry but `userId`'s (all of them for null: nobody is signed in). */
export function forgetCachedReadsExcept(userId: string | null): void {
  const storage = browserStorage();
  if (!storage) return;
  const kept = userId === null ? null : ownerPrefix(userId);
  const stale: string[] = [];
  for (let index = 0; index < storage.length; index++) {
    const key = storage.key(index);
    if (key?.startsWith(KEY_PREFIX) && (kept === null || !key.startsWith(kept))) stale.push(key);
  }
  for (const key of stale) storage.removeItem(key);
}
