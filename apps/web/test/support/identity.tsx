import { useMemo, type ReactNode } from 'react';
import { IdentityContext, type IdentityContextValue, type IdentityUser } from '../../src/identity/context';
import { TEST_TEAM, testSessionToken, type TestTeam } from './api';

/**
 * Stands in for Clerk in component tests: a fixed user and active team whose "session token"
 * names them, which the in-process API (test/support/api.ts) accepts as the session. Clerk's own
 * components run in the end-to-end tests.
 */
export function TestIdentityProvider({
  user,
  team = TEST_TEAM,
  onCreateTeam = () => {},
  children,
}: {
  user: IdentityUser | null;
  /** The active team; null for none (personal expectations). */
  team?: TestTeam | null;
  onCreateTeam?: () => void;
  children: ReactNode;
}) {
  const value = useMemo<IdentityContextValue>(
    () => ({
      identity: {
        isLoaded: true,
        isSignedIn: user !== null,
        user,
        activeTeam: user && team ? { id: team.id } : null,
        createTeam: onCreateTeam,
        getToken: async () => (user ? testSessionToken(user.id, team?.id ?? null) : null),
        unavailable: null,
      },
      ui: {
        SignInPage: () => <h1>Sign in with Clerk</h1>,
        SignUpPage: () => <h1>Sign up with Clerk</h1>,
        UserMenu: () => <span>{user?.displayName}</span>,
        TeamSwitcher: () => <span>Team: {team?.name ?? 'Personal account'}</span>,
        ProfilePage: () => <h1>Profile of {user?.displayName}</h1>,
      },
    }),
    [user, team, onCreateTeam],
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
