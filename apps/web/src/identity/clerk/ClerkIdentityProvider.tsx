/**
 * Identity from Clerk. Loaded with a dynamic import only when a publishable key is set, so a
 * build that uses the local stand-in never downloads Clerk's SDK.
 */
import {
  ClerkProvider,
  SignInButton as ClerkSignInButton,
  SignUpButton as ClerkSignUpButton,
  UserButton,
  UserProfile,
  useAuth,
  useUser,
} from '@clerk/react';
import { useCallback, useMemo, type ReactNode } from 'react';
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

function ClerkIdentityBridge({ children }: { children: ReactNode }) {
  const { isLoaded, isSignedIn, getToken: getClerkToken } = useAuth();
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
      identity: { isLoaded, isSignedIn: Boolean(isSignedIn), user, getToken, loadError: null },
      ui: clerkUi,
    }),
    [isLoaded, isSignedIn, user, getToken],
  );
  return <IdentityContext.Provider value={value}>{children}</IdentityContext.Provider>;
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
