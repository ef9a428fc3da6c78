import {
  ClerkDegraded,
  ClerkFailed,
  ClerkProvider,
  OrganizationSwitcher,
  SignIn,
  SignUp,
  UserButton,
  UserProfile,
  useAuth,
  useClerk,
  useUser,
} from '@clerk/react';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { settings } from '../env';
import { navigate, paths } from '../router';
import { clerkAppearance } from './appearance';
import { useClerkUnavailability } from './clerkWatchdog';
import { deferredClerkUI } from './deferredClerkUI';
import {
  displayNameOf,
  IdentityContext,
  joinName,
  type IdentityContextValue,
  type IdentityTeam,
  type IdentityUi,
  type IdentityUser,
} from './context';

function SignInPage() {
  return (
    <section className="page auth-page">
      <h1 className="visually-hidden">Sign in</h1>
      <SignIn routing="path" path={paths.signIn()} />
    </section>
  );
}

function SignUpPage() {
  return (
    <section className="page auth-page">
      <h1 className="visually-hidden">Create your account</h1>
      <SignUp routing="path" path={paths.signUp()} />
    </section>
  );
}

function UserMenu() {
  return <UserButton showName userProfileMode="navigation" userProfileUrl={paths.profile()} />;
}

function TeamSwitcher() {
  // Every switch lands on the feed: a page of the previous team's expectation is not the new team's.
  return (
    <OrganizationSwitcher
      afterSelectOrganizationUrl={paths.feed()}
      afterSelectPersonalUrl={paths.feed()}
      afterCreateOrganizationUrl={paths.feed()}
      afterLeaveOrganizationUrl={paths.feed()}
    />
  );
}

function ProfilePage() {
  return (
    <section className="page auth-page">
      <h1 tabIndex={-1} className="visually-hidden">
        Your profile
      </h1>
      <UserProfile routing="path" path={paths.profile()} />
    </section>
  );
}

const clerkUi: IdentityUi = { SignInPage, SignUpPage, UserMenu, TeamSwitcher, ProfilePage };

function ReportFailure({ onFailure }: { onFailure: () => void }) {
  useEffect(onFailure, [onFailure]);
  return null;
}

function warnDegraded() {
  console.warn('Clerk reports a degraded service: sign-in may be slow or fail until Clerk recovers.');
}

function ClerkIdentityBridge({ children }: { children: ReactNode }) {
  const { isLoaded, isSignedIn, orgId, getToken: getClerkToken } = useAuth();
  const clerk = useClerk();
  // Clerk says when its script or Frontend API failed; the watchdog bounds a wait that never ends.
  const [failed, setFailed] = useState(false);
  const markFailed = useCallback(() => setFailed(true), []);
  const unavailable = useClerkUnavailability({ isLoaded, failed });
  const { user: clerkUser } = useUser();

  // clerk-js refreshes the session token in the background; getToken returns a fresh one.
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

  // From the session, whose token names the team the API scopes to.
  const activeTeam = useMemo<IdentityTeam | null>(() => (orgId ? { id: orgId } : null), [orgId]);
  const createTeam = useCallback(() => clerk.openCreateOrganization({ afterCreateOrganizationUrl: paths.feed() }), [clerk]);

  const value = useMemo<IdentityContextValue>(
    () => ({
      identity: {
        isLoaded,
        isSignedIn: Boolean(isSignedIn),
        user,
        activeTeam,
        createTeam,
        getToken,
        unavailable,
      },
      ui: clerkUi,
    }),
    [isLoaded, isSignedIn, user, activeTeam, createTeam, getToken, unavailable],
  );
  return (
    <IdentityContext.Provider value={value}>
      <ClerkFailed>
        <ReportFailure onFailure={markFailed} />
      </ClerkFailed>
      <ClerkDegraded>
        <ReportFailure onFailure={warnDegraded} />
      </ClerkDegraded>
      {children}
    </IdentityContext.Provider>
  );
}

/** Clerk's UI, loaded when one of its components first shows (see deferredClerkUI.ts). */
const clerkUI = { ClerkUI: deferredClerkUI({ publishableKey: settings.clerkPublishableKey, proxyUrl: settings.clerkProxyUrl }) };

/**
 * Clerk, always. With a relative `proxyUrl` (`/__clerk`, locally) clerk-js, its UI and every
 * Frontend API call come from the page's own origin, which forwards them (to the local stand-in);
 * without one, from the Clerk instance that the publishable key names.
 */
export function IdentityProvider({ children }: { children: ReactNode }) {
  return (
    <ClerkProvider
      publishableKey={settings.clerkPublishableKey}
      proxyUrl={settings.clerkProxyUrl}
      ui={clerkUI}
      appearance={clerkAppearance}
      routerPush={(to) => navigate(to)}
      routerReplace={(to) => navigate(to, { replace: true })}
      signInUrl={paths.signIn()}
      signUpUrl={paths.signUp()}
      signInFallbackRedirectUrl={paths.feed()}
      signUpFallbackRedirectUrl={paths.feed()}
      afterSignOutUrl={paths.feed()}
      telemetry={false}
      unsafe_disableDevelopmentModeConsoleWarning
    >
      <ClerkIdentityBridge>{children}</ClerkIdentityBridge>
    </ClerkProvider>
  );
}
