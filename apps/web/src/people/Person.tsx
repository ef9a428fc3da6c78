import { useContext } from 'react';
import type { PublicProfile } from '../api/types';
import { useIdentity } from '../identity';
import { Avatar, type AvatarSize } from '../ui/Avatar';
import { ViewerContext } from '../viewer/ViewerContext';

export const DELETED_USER_NAME = 'Deleted user';

export interface PersonView {
  name: string;
  imageUrl: string | null;
  deleted: boolean;
  isViewer: boolean;
}

/**
 * How to show someone. Other people come from the API's mirror; the signed-in person's own
 * name and avatar come from the identity provider, which is always current.
 */
export function usePersonView(profile: PublicProfile): PersonView {
  const viewer = useContext(ViewerContext);
  const { user } = useIdentity();
  if (profile.deleted) return { name: DELETED_USER_NAME, imageUrl: null, deleted: true, isViewer: false };
  if (viewer && user && profile.id === viewer.userId) {
    return { name: user.displayName, imageUrl: user.imageUrl, deleted: false, isViewer: true };
  }
  return { name: profile.displayName, imageUrl: profile.imageUrl, deleted: false, isViewer: false };
}

export function Person({ profile, size = 'sm', className }: { profile: PublicProfile; size?: AvatarSize; className?: string }) {
  const person = usePersonView(profile);
  return (
    <span className={['person', person.deleted ? 'person--deleted' : '', className ?? ''].filter(Boolean).join(' ')}>
      <Avatar name={person.name} imageUrl={person.imageUrl} size={size} neutral={person.deleted} />
      <span className="person__name">{person.name}</span>
    </span>
  );
}
