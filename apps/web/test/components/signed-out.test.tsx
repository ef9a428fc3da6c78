import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TestApi } from '../support/api';
import { renderApp } from '../support/render-app';
import { addMember } from '../support/team';

let api: TestApi;
beforeEach(() => {
  api = new TestApi();
});
afterEach(() => api.destroy());

it('tells a signed-out visitor what the product is, offers sign-in and sign-up, and asks the API nothing', async () => {
  renderApp({ api, user: null, path: '/expectations/12' });

  expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Say what you expect. See it through.');
  expect(screen.getByText(/follows each one to an outcome/)).toBeTruthy();
  // Sign-in and sign-up are the app's own routes, and bring the visitor back to the deep link.
  const back = `?redirect_url=${encodeURIComponent(`${window.location.origin}/expectations/12`)}`;
  for (const link of screen.getAllByRole('link', { name: 'Sign in' })) expect(link.getAttribute('href')).toBe(`/sign-in${back}`);
  expect(screen.getByRole('link', { name: 'Create an account' }).getAttribute('href')).toBe(`/sign-up${back}`);
  expect(window.location.pathname).toBe('/expectations/12');

  // The signal that the app has settled: a signed-in app rendered alongside, through the same
  // providers, has asked its own API for the account by now. The signed-out one asked nothing.
  const control = new TestApi();
  try {
    const member = await addMember(control, 'Alice', 'Archer');
    const signedIn = renderApp({ api: control, user: member.identity, path: '/expectations/12' });
    await waitFor(() => expect(control.callsTo('users.ensureExists')).toHaveLength(1));
    expect(api.calls).toEqual([]);
    signedIn.unmount();
  } finally {
    await control.destroy();
  }
});

it('takes a visitor to Clerk’s sign-up on the app’s own route, without a reload', async () => {
  renderApp({ api, user: null, path: '/' });
  screen.getByRole('link', { name: 'Create an account' }).click();
  expect(await screen.findByRole('heading', { name: 'Sign up with Clerk' })).toBeTruthy();
  expect(window.location.pathname).toBe('/sign-up');
  expect(api.calls).toEqual([]);
});

it.each([
  ['/sign-in', 'Sign in with Clerk'],
  ['/sign-in/factor-one', 'Sign in with Clerk'],
  ['/sign-up/verify-email-address', 'Sign up with Clerk'],
])('shows Clerk’s own component on every step of its path: %s', (path, heading) => {
  renderApp({ api, user: null, path });
  expect(screen.getByRole('heading', { name: heading })).toBeTruthy();
});
