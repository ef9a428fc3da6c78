import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TestApi } from '../support/api';
import { renderApp } from '../support/render-app';
import { addMember, type TeamMember } from '../support/team';

let api: TestApi;
let alice: TeamMember;
let bob: TeamMember;
beforeEach(async () => {
  api = new TestApi();
  alice = await addMember(api, 'Alice', 'Archer');
  bob = await addMember(api, 'Bob', 'Baker');
});
afterEach(() => api.destroy());

it('opens from the feed, shows the whole expectation, and Back returns to the feed', async () => {
  const user = userEvent.setup();
  const created = await api.as(alice.clerkId).expectations.create({
    title: 'Ship the billing export',
    details: 'CSV with one row per invoice.\nInclude refunds.',
    assigneeId: bob.id,
    dueOn: '2031-02-03',
  });
  renderApp({ api, user: bob.identity });

  await user.click(await screen.findByRole('link', { name: 'Ship the billing export' }));
  expect(window.location.pathname).toBe(`/expectations/${created.id}`);
  const heading = await screen.findByRole('heading', { level: 1, name: 'Ship the billing export' });
  await waitFor(() => expect(screen.getByText(/Include refunds/)).toBeTruthy());
  // Focus moves to the new screen's heading, for keyboard and screen reader users.
  expect(document.activeElement).toBe(heading);
  expect(screen.getByText('Written by').nextElementSibling?.textContent).toContain('Alice Archer');
  expect(screen.getByText('Expected of').nextElementSibling?.textContent).toContain('Bob Baker');
  expect(screen.getByText('2031', { exact: false })).toBeTruthy();
  // Only the author decides the outcome.
  expect(screen.queryByRole('button', { name: 'Mark as met' })).toBeNull();

  window.history.back();
  expect(await screen.findByRole('heading', { level: 1, name: 'Expectations' })).toBeTruthy();
  expect(window.location.pathname).toBe('/');
});

it('lets the author mark it met, and the feed shows the new status', async () => {
  const user = userEvent.setup();
  const created = await api.as(alice.clerkId).expectations.create({ title: 'Ship the billing export', assigneeId: bob.id });
  renderApp({ api, user: alice.identity, path: `/expectations/${created.id}` });

  await user.click(await screen.findByRole('button', { name: 'Mark as met' }));
  expect(await screen.findByText('Status changed to met.')).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Reopen' })).toBeTruthy();
  expect((await api.as(bob.clerkId).expectations.byId({ id: created.id })).status).toBe('met');

  await user.click(screen.getByRole('link', { name: /All expectations/ }));
  const list = await screen.findByRole('list', { name: 'Expectations, newest first' });
  await waitFor(() => expect(within(list).getByText('Met')).toBeTruthy());
});

it('says so when the expectation does not exist', async () => {
  renderApp({ api, user: alice.identity, path: '/expectations/987654' });
  expect(await screen.findByRole('heading', { name: 'Expectation not found' })).toBeTruthy();
});

it('answers an unknown address with a page that leads back', async () => {
  renderApp({ api, user: alice.identity, path: '/no/such/page' });
  expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
  await userEvent.click(screen.getByRole('link', { name: 'Go to the expectations' }));
  expect(await screen.findByRole('heading', { level: 1, name: 'Expectations' })).toBeTruthy();
});
