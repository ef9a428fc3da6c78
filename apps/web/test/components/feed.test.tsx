import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { todayIsoDate } from '../../src/ui/dates';
import { TestApi } from '../support/api';
import { renderApp } from '../support/render-app';
import { addMember, type TeamMember } from '../support/team';

let api: TestApi;
let alice: TeamMember;
let bob: TeamMember;
beforeEach(async () => {
  api = new TestApi();
  alice = await addMember(api, 'Alice', 'Archer', 'https://img.example.test/alice.png');
  bob = await addMember(api, 'Bob', 'Baker', 'https://img.example.test/bob.png');
});
afterEach(() => api.destroy());

function feedItems() {
  return within(screen.getByRole('list', { name: 'Expectations, newest first' })).getAllByRole('article');
}

function shiftedDate(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  return todayIsoDate(date);
}

it('lists expectations newest first with author, assignee, status and due date, flagging overdue ones', async () => {
  await api.as(alice.clerkId).expectations.create({ title: 'Ship the billing export', assigneeId: bob.id, dueOn: shiftedDate(-2) });
  await api.as(bob.clerkId).expectations.create({ title: 'Write the onboarding guide', dueOn: shiftedDate(5) });

  renderApp({ api, user: bob.identity });

  await waitFor(() => expect(feedItems()).toHaveLength(2));
  const [newest, oldest] = feedItems() as [HTMLElement, HTMLElement];
  expect(within(newest).getByRole('link', { name: 'Write the onboarding guide' }).getAttribute('href')).toMatch(/^\/expectations\/\d+$/);
  expect(within(newest).getByText('of themselves')).toBeTruthy();
  expect(within(newest).queryByText('Overdue')).toBeNull();

  expect(within(oldest).getByRole('link', { name: 'Ship the billing export' })).toBeTruthy();
  expect(within(oldest).getByText('Alice Archer')).toBeTruthy();
  expect(within(oldest).getByText('Bob Baker')).toBeTruthy();
  expect(within(oldest).getByText('Open')).toBeTruthy();
  expect(within(oldest).getByText('Overdue')).toBeTruthy();
  const avatars = Array.from(oldest.querySelectorAll('img')).map((img) => img.getAttribute('src'));
  expect(avatars).toEqual(['https://img.example.test/alice.png', 'https://img.example.test/bob.png']);
});

it('shows the signed-in person with the name and avatar from the identity provider, not the API', async () => {
  await api.as(alice.clerkId).expectations.create({ title: 'Review the roadmap', assigneeId: bob.id });
  // Alice renamed herself in Clerk; the mirror has not caught up yet.
  const renamed = { ...alice.identity, firstName: 'Alicia', fullName: 'Alicia Archer', displayName: 'Alicia Archer', imageUrl: 'https://img.example.test/alicia.png' };

  renderApp({ api, user: renamed });

  await waitFor(() => expect(feedItems()).toHaveLength(1));
  const item = feedItems()[0] as HTMLElement;
  expect(within(item).getByText('Alicia Archer')).toBeTruthy();
  expect(within(item).queryByText('Alice Archer')).toBeNull();
  expect(item.querySelector('img')?.getAttribute('src')).toBe('https://img.example.test/alicia.png');
});

it('shows a deleted user as "Deleted user" with a neutral avatar', async () => {
  const carol = await addMember(api, 'Carol', 'Cooper', 'https://img.example.test/carol.png');
  await api.as(carol.clerkId).expectations.create({ title: 'Hand over the on-call rota', assigneeId: bob.id });
  await api.deleteUser(carol.clerkId);

  renderApp({ api, user: bob.identity });

  await waitFor(() => expect(feedItems()).toHaveLength(1));
  const item = feedItems()[0] as HTMLElement;
  expect(within(item).getByText('Deleted user')).toBeTruthy();
  expect(within(item).queryByText(/Carol/)).toBeNull();
  expect(item.querySelector('img[src*="carol"]')).toBeNull();
  expect(item.querySelector('.avatar--neutral')).not.toBeNull();
});

it('filters by Mine, Assigned to me and status through the URL, and Back restores the previous filter', async () => {
  const user = userEvent.setup();
  await api.as(alice.clerkId).expectations.create({ title: 'Alice for Bob', assigneeId: bob.id });
  const bobsOwn = await api.as(bob.clerkId).expectations.create({ title: 'Bob for Alice', assigneeId: alice.id });
  await api.as(bob.clerkId).expectations.setStatus({ id: bobsOwn.id, status: 'met' });
  await api.as(bob.clerkId).expectations.create({ title: 'Bob for himself' });

  renderApp({ api, user: bob.identity });
  await waitFor(() => expect(feedItems()).toHaveLength(3));

  await user.click(screen.getByRole('link', { name: 'Mine' }));
  expect(window.location.search).toBe('?show=mine');
  await waitFor(() => expect(feedItems().map((item) => within(item).getByRole('heading').textContent)).toEqual(['Bob for himself', 'Bob for Alice']));
  expect(screen.getByRole('link', { name: 'Mine' }).getAttribute('aria-current')).toBe('true');

  await user.click(screen.getByRole('link', { name: 'Met' }));
  expect(window.location.search).toBe('?show=mine&status=met');
  await waitFor(() => expect(feedItems().map((item) => within(item).getByRole('heading').textContent)).toEqual(['Bob for Alice']));

  await user.click(screen.getByRole('link', { name: 'Assigned to me' }));
  await user.click(screen.getByRole('link', { name: 'Any status' }));
  expect(window.location.search).toBe('?show=assigned');
  await waitFor(() => expect(feedItems().map((item) => within(item).getByRole('heading').textContent)).toEqual(['Alice for Bob']));

  window.history.back();
  await waitFor(() => expect(window.location.search).toBe('?show=assigned&status=met'));
  expect(await screen.findByText('Nothing matches these filters.')).toBeTruthy();

  // The filters were sent to the API as its documented input, nothing more (tRPC's infinite
  // query adds the paging direction).
  const inputs = api.callsTo('expectations.list').map((call) => call.input);
  expect(inputs).toContainEqual({ limit: 20, authorId: bob.id, direction: 'forward' });
  expect(inputs).toContainEqual({ limit: 20, authorId: bob.id, status: 'met', direction: 'forward' });
  expect(inputs).toContainEqual({ limit: 20, assigneeId: bob.id, direction: 'forward' });
});

it('reads the filters from a deep link', async () => {
  await api.as(alice.clerkId).expectations.create({ title: 'Alice for Bob', assigneeId: bob.id });
  await api.as(alice.clerkId).expectations.create({ title: 'Alice for herself' });

  renderApp({ api, user: bob.identity, path: '/?show=assigned' });

  await waitFor(() => expect(feedItems().map((item) => within(item).getByRole('heading').textContent)).toEqual(['Alice for Bob']));
  expect(screen.getByRole('link', { name: 'Assigned to me' }).getAttribute('aria-current')).toBe('true');
});

it('loads further pages by cursor until there are no more', async () => {
  for (let n = 1; n <= 23; n++) await api.as(alice.clerkId).expectations.create({ title: `Expectation ${n}` });

  renderApp({ api, user: alice.identity });

  await waitFor(() => expect(feedItems()).toHaveLength(20));
  expect(within(feedItems()[0] as HTMLElement).getByRole('heading').textContent).toBe('Expectation 23');
  await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
  await waitFor(() => expect(feedItems()).toHaveLength(23));
  expect(within(feedItems()[22] as HTMLElement).getByRole('heading').textContent).toBe('Expectation 1');
  expect(screen.getByText('That’s everything.')).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();

  const inputs = api.callsTo('expectations.list').map((call) => call.input);
  expect(inputs[0]).toEqual({ limit: 20, direction: 'forward' });
  expect(inputs[1]).toEqual({ limit: 20, direction: 'forward', cursor: expect.any(String) });
});

it('invites the first expectation when the feed is empty', async () => {
  renderApp({ api, user: alice.identity });
  expect(await screen.findByText('No expectations yet.')).toBeTruthy();
  expect(screen.getAllByRole('link', { name: 'New expectation' }).length).toBeGreaterThan(0);
});

it('shows a skeleton while loading, then an error with a retry that recovers', async () => {
  await api.as(alice.clerkId).expectations.create({ title: 'Survives the outage' });
  const user = userEvent.setup();
  renderApp({ api, user: alice.identity });
  await screen.findByRole('heading', { name: 'Expectations' });
  await waitFor(() => expect(feedItems()).toHaveLength(1));

  // Now the network drops: the next feed request and both automatic retries fail.
  api.failNextRequests(3);
  await user.click(screen.getByRole('link', { name: 'Mine' }));
  expect(screen.getByText('Loading expectations…')).toBeTruthy();
  expect(await screen.findByText('We couldn’t load the expectations.', {}, { timeout: 10_000 })).toBeTruthy();
  expect(screen.getByText(/couldn’t reach the server/)).toBeTruthy();

  await user.click(screen.getByRole('button', { name: 'Try again' }));
  await waitFor(() => expect(feedItems()).toHaveLength(1));
});
