import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TEST_TEAM, TestApi } from '../support/api';
import { identityUser } from '../support/identity';
import { renderApp } from '../support/render-app';

let api: TestApi;
beforeEach(() => {
  api = new TestApi();
});
afterEach(() => api.destroy());

const newcomer = identityUser('user_2newcomer000000000000000000', 'Nora', 'Newcomer');

it('waits while the account is being set up, then opens the feed once the webhook has landed', async () => {
  renderApp({ api, user: newcomer, accountSetupWindowMs: 20_000 });

  expect(await screen.findByText('Setting up your account…')).toBeTruthy();
  expect(screen.queryByRole('heading', { name: 'Expectations' })).toBeNull();

  // The user.created webhook arrives a moment later.
  await api.mirrorUser({ clerkId: newcomer.id, firstName: 'Nora', lastName: 'Newcomer' });

  expect(await screen.findByRole('heading', { name: 'Expectations' }, { timeout: 5000 })).toBeTruthy();
  const attempts = api.callsTo('users.ensureExists').length;
  expect(attempts).toBeGreaterThanOrEqual(2);
});

it('gives up after the set-up window and names the user id to quote to support; Try again recovers', async () => {
  renderApp({ api, user: newcomer, accountSetupWindowMs: 1200 });

  expect(await screen.findByText('Setting up your account…')).toBeTruthy();
  expect(await screen.findByRole('heading', { name: 'We couldn’t set up your account' }, { timeout: 5000 })).toBeTruthy();
  expect(screen.getByText(/Contact support and quote your user id/)).toBeTruthy();
  expect(screen.getByText(newcomer.id)).toBeTruthy();
  // The team is active too, and its membership may be what is missing: its id is there to quote as well.
  expect(screen.getByText(TEST_TEAM.id)).toBeTruthy();
  // It retried with back-off (0.5 s, then 1 s cut to the window's end): not once, not in a tight loop.
  const attempts = api.callsTo('users.ensureExists').length;
  expect(attempts).toBeGreaterThanOrEqual(3);
  expect(attempts).toBeLessThanOrEqual(4);

  await api.mirrorUser({ clerkId: newcomer.id });
  await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
  expect(await screen.findByRole('heading', { name: 'Expectations' })).toBeTruthy();
});

it('never creates the account itself: without the webhook, the mirror stays empty', async () => {
  renderApp({ api, user: newcomer, accountSetupWindowMs: 600 });
  await screen.findByRole('heading', { name: 'We couldn’t set up your account' }, { timeout: 5000 });
  expect(await api.storedUsers()).toEqual([]);
});
