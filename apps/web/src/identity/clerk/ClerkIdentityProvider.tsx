/**
 * Identity from Clerk. Loaded with a dynamic import only when a publishable key is set, so a
 * build that uses the local stand-in never downloads Clerk's SDK.
 */
import {
  ClerkFailed,
  ClerkProvider,
  SignInButton as ClerkSignInButton,
  SignUpButton as ClerkSignUpButton,
  UserButton,
  UserProfile,
  useAuth,
  useUser,
} from '@clerk/react';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { navigate, paths } from '../../router';
import { displayNameOf, IdentityContext, joinName, type AuthButtonProps, type IdentityContextValue, type IdentityUi, type IdentityUser } from '../context';

function SignInButton({ className = 'button button--primary', children = 'Sign in' }: AuthButtonProps) {
  return (
    <ClerkSignInButton mode="modal">
      <button type="button" className={className}>
        {children}
      </button>
    </ClerkSignInButton>
  );
}

function SignUpButton({ className = 'button', children = 'Sign up' }: AuthButtonProps) {
  return (
    <ClerkSignUpButton mode="modal">
      <button type="button" className={className}>
        {children}
      </button>
    </ClerkSignUpButton>
  );
}

function UserMenu() {
  return <UserButton showName userProfileMode="navigation" userProfileUrl={paths.profile()} />;
}

function ProfilePage() {
  return (
    <section className="page">
      <h1 tabIndex={-1} className="visually-hidden">
        Your profile
      </h1>
      {/* Hash routing keeps Clerk's inner pages under our single /profile route. */}
      <UserProfile routing="hash" />
    </section>
  );
}

const clerkUi: IdentityUi = { SignInButton, SignUpButton, UserMenu, ProfilePage };

const CLERK_LOAD_FAILED =
  'The sign-in service (Clerk) could not be loaded. Check your connection, and that VITE_CLERK_PUBLISHABLE_KEY belongs to a reachable Clerk instance.';

function ReportFailure({ onFailure }: { onFailure: () => void }) {
  useEffect(onFailure, [onFailure]);
  return null;
}

function ClerkIdentityBridge({ children }: { children: ReactNode }) {
  const { isLoaded, isSignedIn, getToken: getClerkToken } = useAuth();
  // Without this the app would wait forever when Clerk's script cannot be fetched.
  const [failed, setFailed] = useState(false);
  const markFailed = useCallback(() => setFailed(true), []);
  const { user: clerkUser } = useUser();

  // Clerk refreshes its session token in the background; getToken returns a fresh one.
  const getToken = useCallback(() => getClerkToken(), [getClerkToken]);

  const user = useMemo<IdentityUser | null>(() => {
    if (!clerkUser) return null;
    const firstName = clerkUser.firstName || null;
    const lastName = clerkUser.lastName || null;
    const fullName = clerkUser.fullName || joinName(firstName, lastName);
    const username = clerkUser.username || null;
    const primaryEmailAddress = clerkUser.primaryEmailAddress?.emailAddress ?? null;
    return {
      id: clerkUser.id,
      firstName,
      lastName,
      fullName,
      username,
      primaryEmailAddress,
      imageUrl: clerkUser.imageUrl || null,
      displayName: displayNameOf({ fullName, username, primaryEmailAddress }),
    };
  }, [clerkUser]);

  const value = useMemo<IdentityContextValue>(
    () => ({
      identity: {
        isLoaded: isLoaded || failed,
        isSignedIn: Boolean(isSignedIn),
        user,
        getToken,
        loadError: failed ? CLERK_LOAD_FAILED : null,
      },
      ui: clerkUi,
    }),
    [isLoaded, isSignedIn, user, getToken, failed],
  );
  return (
    <IdentityContext.Provider value={value}>
      <ClerkFailed>
        <ReportFailure onFailure={markFailed} />
      </ClerkFailed>
      {children}
    </IdentityContext.Provider>
  );
}

export default function ClerkIdentityProvider({ publishableKey, children }: { publishableKey: string; children: ReactNode }) {
  return (
    <ClerkProvider
      publishableKey={publishableKey}
      routerPush={(to) => navigate(to)}
      routerReplace={(to) => navigate(to, { replace: true })}
      afterSignOutUrl="/"
    >
      <ClerkIdentityBridge>{children}</ClerkIdentityBridge>
    </ClerkProvider>
  );
}
