import type { IdentityUser } from '../../src/identity';
import type { TestApi } from './api';
import { identityUser } from './identity';

export interface TeamMember {
  /** Mirror row id, as the API returns it. */
  id: number;
  clerkId: string;
  /** The same person as the identity provider presents them when they are the one signed in. */
  identity: IdentityUser;
}

/** Mirrors a person as the webhook would, and returns both views of them. */
export async function addMember(api: TestApi, firstName: string, lastName: string, imageUrl: string | null = null): Promise<TeamMember> {
  const clerkId = `user_2${firstName.toLowerCase().padEnd(26, '0')}`;
  const { id } = await api.mirrorUser({ clerkId, firstName, lastName, imageUrl });
  return { id, clerkId, identity: identityUser(clerkId, firstName, lastName, imageUrl) };
}
