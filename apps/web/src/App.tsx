import { Suspense, useEffect } from 'react';
import { forgetCachedReadsExcept } from './api/cacheStorage';
import { OfflineBanner } from './connectivity/OfflineBanner';
import { IdentityProvider, SignInPage, SignUpPage, useIdentity, type Identity } from './identity';
import { ClerkUnavailable } from './identity/ClerkUnavailable';
import { matchRoute, useLocation } from './router';
import { Landing } from './screens/Landing';
import type { SignedInAppProps } from './SignedInApp';
import { Topbar } from './Topbar';
import { lazyWithPreload } from './ui/lazyWithPreload';

const signedInApp = lazyWithPreload(() => import('./SignedInApp'));
const SignedInApp = signedInApp.Component;

/** Starts downloading the signed-in app while Clerk loads, so that a returning person does not wait for it afterwards. */
export function preloadSignedInApp(): void {
  void signedInApp.preload().catch(() => {
    // The lazy component retries and reports the failure when it renders.
  });
}

function FullPageLoading() {
  return (
    <div className="full-page-loading" aria-busy="true">
      <div className="spinner" aria-hidden="true" />
      <p role="status" className="visually-hidden">
        Loading…
      </p>
    </div>
  );
}

/** Clerk's `<SignIn/>` or `<SignUp/>`, on every step of their paths; Clerk moves a signed-in visitor on. */
function AuthScreen({ page }: { page: 'signIn' | 'signUp' }) {
  return (
    <>
      <Topbar />
      <main id="main" tabIndex={-1}>
        {page === 'signIn' ? <SignInPage /> : <SignUpPage />}
      </main>
    </>
  );
}

export type AppBodyProps = Pick<SignedInAppProps, 'api' | 'accountSetupWindowMs' | 'liveFeed'>;

/** Whose data the signed-in app shows: the person, and their active team or their personal expectations. */
function scopeKey({ user, activeTeam }: Identity): string {
  return `${user?.id ?? 'signed-in'}:${activeTeam?.id ?? 'personal'}`;
}

/** Everything below the identity provider: sign-in and sign-up, the landing page, or the signed-in app. */
export function AppBody({ api, accountSetupWindowMs, liveFeed }: AppBodyProps) {
  const identity = useIdentity();
  const route = matchRoute(useLocation().pathname);
  // Once Clerk has said who is here: nobody else's saved reads stay on this browser.
  const confirmedUserId = !identity.isLoaded ? undefined : identity.isSignedIn ? identity.user?.id : null;
  useEffect(() => {
    if (confirmedUserId !== undefined) forgetCachedReadsExcept(confirmedUserId);
  }, [confirmedUserId]);
  if (!identity.isLoaded) return identity.unavailable ? <ClerkUnavailable reason={identity.unavailable} /> : <FullPageLoading />;
  if (route.name === 'signIn' || route.name === 'signUp') return <AuthScreen page={route.name} />;
  if (!identity.isSignedIn) return <Landing />;
  return (
    <Suspense fallback={<FullPageLoading />}>
      {/* A different person, or another team, gets a fresh cache: no row of the previous scope survives. */}
      <SignedInApp
        key={scopeKey(identity)}
        api={api}
        accountSetupWindowMs={accountSetupWindowMs}
        liveFeed={liveFeed}
        cacheOwner={identity.user ? { userId: identity.user.id, teamId: identity.activeTeam?.id ?? null } : undefined}
      />
    </Suspense>
  );
}

export function App() {
  return (
    <IdentityProvider>
      <OfflineBanner />
      <AppBody />
    </IdentityProvider>
  );
}
