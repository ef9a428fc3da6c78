import { lazy, Suspense, type ReactNode } from 'react';
import { settings } from '../env';
import { StandInIdentityProvider } from './standin/StandInIdentityProvider';

const ClerkIdentityProvider = lazy(() => import('./clerk/ClerkIdentityProvider'));

/** The one place that decides who provides identity: Clerk with a publishable key, else the local stand-in. */
export function IdentityProvider({ children, loading }: { children: ReactNode; loading: ReactNode }) {
  if (settings.clerkPublishableKey) {
    return (
      <Suspense fallback={loading}>
        <ClerkIdentityProvider publishableKey={settings.clerkPublishableKey}>{children}</ClerkIdentityProvider>
      </Suspense>
    );
  }
  return <StandInIdentityProvider baseUrl={settings.clerkEmulatorUrl}>{children}</StandInIdentityProvider>;
}
