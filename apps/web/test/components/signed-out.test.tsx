import { screen } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TestApi } from '../support/api';
import { renderApp } from '../support/render-app';

let api: TestApi;
beforeEach(() => {
  api = new TestApi();
});
afterEach(() => api.destroy());

it('tells a signed-out visitor what the product is, offers sign-in and sign-up, and asks the API nothing', async () => {
  renderApp({ api, user: null, path: '/expectations/12' });

  expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Say what you expect. See it through.');
  expect(screen.getByText(/follows each one to an outcome/)).toBeTruthy();
  expect(screen.getAllByRole('link', { name: 'Sign in' }).length).toBeGreaterThan(0);
  expect(screen.getByRole('link', { name: 'Create an account' })).toBeTruthy();
  // The deep link stays in the address bar, so signing in comes back to it.
  expect(window.location.pathname).toBe('/expectations/12');

  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(api.calls).toEqual([]);
});
