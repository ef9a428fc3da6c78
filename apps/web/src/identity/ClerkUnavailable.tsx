import { BrandMark } from '../screens/Landing';
import type { ClerkUnavailability } from './clerkWatchdog';

/**
 * Shown instead of an endless spinner when Clerk, the sign-in service, cannot be reached. Nothing
 * here names hosts or keys; the console tells a developer what failed.
 */
export function ClerkUnavailable({ reason }: { reason: ClerkUnavailability }) {
  return (
    <div className="landing">
      <header className="topbar">
        <span className="brand">
          <BrandMark /> Expectations
        </span>
      </header>
      <main id="main" className="page page--narrow notice-page" aria-labelledby="clerk-unavailable-title">
        <h1 id="clerk-unavailable-title">Sign-in is unavailable right now</h1>
        <p role="alert">
          {reason === 'failed'
            ? 'Expectations couldn’t load its sign-in service, so it can’t check who you are.'
            : 'Expectations’ sign-in service isn’t answering, so it can’t check who you are yet.'}
        </p>
        <p>This is usually one of these:</p>
        <ul className="clerk-unavailable__causes">
          <li>Your connection is down or unstable.</li>
          <li>An ad blocker, privacy extension, or your organisation’s network is blocking the sign-in service.</li>
          <li>The sign-in service is having an outage.</li>
        </ul>
        {reason === 'not-ready' ? (
          <p className="muted" role="status">
            Still trying: if it answers, you’ll carry on from here.
          </p>
        ) : null}
        <p>
          <button type="button" className="button button--primary" onClick={() => window.location.reload()}>
            Try again
          </button>
        </p>
      </main>
    </div>
  );
}
