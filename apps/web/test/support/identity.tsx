import { useMemo, type ReactNode } from 'react';
import { IdentityContext, type AuthButtonProps, type IdentityContextValue, type IdentityUser } from '../../src/identity/context';

/**
 * Stands in for the identity provider in component tests: a fixed user whose "session token"
 * is their Clerk id, which the in-process API (test/support/api.ts) accepts as the session.
 */
export function TestIdentityProvider({ user, children }: { user: IdentityUser | null; children: ReactNode }) {
  const value = useMemo<IdentityContextValue>(
    () => ({
      identity: { isLoaded: true, isSignedIn: user !== null, user, getToken: async () => user?.id ?? null, loadError: null },
      ui: {
        SignInButton: ({ className, children: label = 'Sign in' }: AuthButtonProps) => (
          <a className={className} href="/test-sign-in">
            {label}
          </a>
        ),
        SignUpButton: ({ className, children: label = 'Sign up' }: AuthButtonProps) => (
          <a className={className} href="/test-sign-up">
            {label}
          </a>
        ),
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
