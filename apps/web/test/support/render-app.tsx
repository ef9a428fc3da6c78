import { render } from '@testing-library/react';
import { AppBody } from '../../src/App';
import type { IdentityUser } from '../../src/identity';
import { TEST_API_URL, type TestApi, type TestTeam } from './api';
import { TestIdentityProvider } from './identity';

export interface RenderAppOptions {
  api: TestApi;
  user: IdentityUser | null;
  /** The active team; TEST_TEAM unless given, null for none. */
  team?: TestTeam | null;
  path?: string;
  accountSetupWindowMs?: number;
}

/**
 * The whole SPA below the identity provider, at `path`, talking to the in-process API; without the
 * live feed (a subscription over the real API server: the e2e tests'), so that every request a
 * test sees is one the screen made.
 */
export function renderApp({ api, user, team, path = '/', accountSetupWindowMs }: RenderAppOptions) {
  window.history.replaceState(null, '', path);
  return render(
    <TestIdentityProvider user={user} team={team}>
      <AppBody api={{ apiUrl: TEST_API_URL, fetch: api.fetch }} accountSetupWindowMs={accountSetupWindowMs} liveFeed={false} />
    </TestIdentityProvider>,
  );
}
