import { useMemo, type ReactNode } from 'react';
import { IdentityContext, type IdentityContextValue, type IdentityUser } from '../../src/identity/context';

/**
 * Stands in for Clerk in component tests: a fixed user whose "session token" is their Clerk id,
 * which the in-process API (test/support/api.ts) accepts as the session. Clerk's own components
 * run in the end-to-end tests.
 */
export function TestIdentityProvider({ user, children }: { user: IdentityUser | null; children: ReactNode }) {
  const value = useMemo<IdentityContextValue>(
    () => ({
      identity: { isLoaded: true, isSignedIn: user !== null, user, getToken: async () => user?.id ?? null, unavailable: null },
      ui: {
        SignInPage: () => <h1>Sign in with Clerk</h1>,
        SignUpPage: () => <h1>Sign up with Clerk</h1>,
        UserMenu: () => <span>{user?.displayName}</span>,
        ProfilePage: () => <h1>Profile of {user?.displayName}</h1>,
      },
    }),
    [user],
  );
  return <IdentityContext.Provider value={value}>{children}</IdentityContext.Provider>;
}

export function identityUser(clerkId: string, firstName: string, lastName: string, imageUrl: string | null = null): IdentityUser {
  const fullName = `${firstName} ${lastName}`;
  return {
    id: clerkId,
    firstName,
    lastName,
    fullName,
    username: null,
    primaryEmailAddress: `${firstName.toLowerCase()}@example.test`,
    imageUrl,
    displayName: fullName,
  };
}
