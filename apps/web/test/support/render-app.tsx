import { render } from '@testing-library/react';
import { AppBody } from '../../src/App';
import type { IdentityUser } from '../../src/identity';
import { TEST_API_URL, type TestApi } from './api';
import { TestIdentityProvider } from './identity';

export interface RenderAppOptions {
  api: TestApi;
  user: IdentityUser | null;
  path?: string;
  accountSetupWindowMs?: number;
}

/** The whole SPA below the identity provider, at `path`, talking to the in-process API. */
export function renderApp({ api, user, path = '/', accountSetupWindowMs }: RenderAppOptions) {
  window.history.replaceState(null, '', path);
  return render(
    <TestIdentityProvider user={user}>
      <AppBody api={{ apiUrl: TEST_API_URL, fetch: api.fetch }} accountSetupWindowMs={accountSetupWindowMs} />
    </TestIdentityProvider>,
  );
}
