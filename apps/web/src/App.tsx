import type { ReactNode } from 'react';
import { ApiProvider, type ApiProviderProps } from './api/ApiProvider';
import { OfflineBanner } from './connectivity/OfflineBanner';
import { ClerkUnavailable } from './identity/ClerkUnavailable';
import { IdentityProvider, SignInPage, SignUpPage, UserMenu, useIdentity } from './identity';
import { NoticeArea, NoticeProvider } from './notices/NoticeProvider';
import { Link, matchRoute, paths, useLocation } from './router';
import { Routes } from './Routes';
import { BrandMark, Landing } from './screens/Landing';
import { AccountGate } from './viewer/AccountGate';

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

function Topbar({ children }: { children?: ReactNode }) {
  return (
    <header className="topbar">
      <Link className="brand" to={paths.feed()}>
        <BrandMark /> Expectations
      </Link>
      <nav className="topbar__actions" aria-label="Account">
        {children}
      </nav>
    </header>
  );
}

function SignedInShell({ accountSetupWindowMs }: { accountSetupWindowMs?: number }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Topbar>
        <UserMenu />
      </Topbar>
      <main id="main" tabIndex={-1}>
        <NoticeArea />
        <AccountGate setupWindowMs={accountSetupWindowMs}>
          <Routes />
        </AccountGate>
      </main>
    </>
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

export interface AppBodyProps {
  /** Where and how to reach the API (tests answer it in-process). */
  api?: Omit<ApiProviderProps, 'children'>;
  accountSetupWindowMs?: number;
}

/** Everything below the identity provider: sign-in and sign-up, the landing page, or the signed-in app. */
export function AppBody({ api, accountSetupWindowMs }: AppBodyProps) {
  const identity = useIdentity();
  const route = matchRoute(useLocation().pathname);
  if (!identity.isLoaded) return identity.unavailable ? <ClerkUnavailable reason={identity.unavailable} /> : <FullPageLoading />;
  if (route.name === 'signIn' || route.name === 'signUp') return <AuthScreen page={route.name} />;
  if (!identity.isSignedIn) return <Landing />;
  return (
    // A different person gets a fresh cache: nothing of the previous session's data survives.
    <ApiProvider key={identity.user?.id ?? 'signed-in'} {...api}>
      <NoticeProvider>
        <SignedInShell accountSetupWindowMs={accountSetupWindowMs} />
      </NoticeProvider>
    </ApiProvider>
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
