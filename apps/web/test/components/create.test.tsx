import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { limits } from '@expectations/router/shared';
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
  await addMember(api, 'Bea', 'Brown');
});
afterEach(() => api.destroy());

function optionNames() {
  return screen.getAllByRole('option').map((option) => option.querySelector('.person__name')?.textContent);
}

function feedItems() {
  return within(screen.getByRole('list', { name: 'Expectations, newest first' })).getAllByRole('article');
}

it('explains what is wrong next to each field, moves focus there, and sends nothing', async () => {
  const user = userEvent.setup();
  renderApp({ api, user: alice.identity, path: '/expectations/new' });
  await screen.findByRole('heading', { name: 'New expectation' });

  await user.click(screen.getByRole('button', { name: 'Save expectation' }));
  const title = screen.getByLabelText('Title');
  expect(screen.getByText('Give the expectation a title.')).toBeTruthy();
  expect(title.getAttribute('aria-invalid')).toBe('true');
  expect(title.getAttribute('aria-describedby')).toContain(screen.getByText('Give the expectation a title.').id);
  expect(document.activeElement).toBe(title);

  // One over the limit is refused; exactly at the limit is fine.
  await user.click(title);
  await user.paste('x'.repeat(limits.titleMaxLength + 1));
  expect(screen.getByText(/Keep the title to 200 characters or fewer \(it has 201\)/)).toBeTruthy();
  await user.keyboard('{Backspace}');
  expect(screen.queryByText(/Keep the title/)).toBeNull();

  await user.click(screen.getByLabelText(/Details/));
  await user.paste('y'.repeat(limits.detailsMaxLength + 1));
  await user.click(screen.getByRole('button', { name: 'Save expectation' }));
  expect(screen.getByText(/Keep the details to 5,000 characters or fewer/)).toBeTruthy();
  expect(document.activeElement).toBe(screen.getByLabelText(/Details/));

  expect(api.callsTo('expectations.create')).toEqual([]);
  expect(window.location.pathname).toBe('/expectations/new');
});

it('finds the assignee by name with the keyboard, and shows the new expectation in the feed before the API answers', async () => {
  const user = userEvent.setup();
  renderApp({ api, user: alice.identity });
  await screen.findByText('No expectations yet.');
  await user.click(screen.getAllByRole('link', { name: 'New expectation' })[0] as HTMLElement);
  await screen.findByRole('heading', { name: 'New expectation' });

  await user.type(screen.getByLabelText('Title'), 'Ship the billing export');
  await user.type(screen.getByLabelText(/Details/), 'CSV, one row per invoice.');
  const picker = screen.getByRole('combobox', { name: /Expected of/ });
  await user.click(picker);
  await user.keyboard('bo');
  const options = await screen.findAllByRole('option');
  await waitFor(() => expect(optionNames()).toEqual(['Bob Baker']));
  expect(options.length).toBeGreaterThan(0);
  // The search waited for typing to pause: no request for the half-typed "b".
  expect(api.callsTo('users.list').map((call) => call.input)).not.toContainEqual({ query: 'b', limit: 8 });
  await user.keyboard('{ArrowDown}{Enter}');
  expect(screen.getByText('Bob Baker')).toBeTruthy();
  expect(document.activeElement?.textContent).toContain('Change');
  await user.type(screen.getByLabelText(/Due date/), '2031-02-03');

  const release = api.holdRequests();
  await user.click(screen.getByRole('button', { name: 'Save expectation' }));

  // Optimistic: on the feed at once, marked as saving, not yet a link.
  expect(window.location.pathname).toBe('/');
  await waitFor(() => expect(feedItems()).toHaveLength(1));
  const pending = feedItems()[0] as HTMLElement;
  expect(within(pending).getByText('Ship the billing export')).toBeTruthy();
  expect(within(pending).getByText('Saving…')).toBeTruthy();
  expect(within(pending).queryByRole('link')).toBeNull();

  release();
  const saved = await screen.findByRole('link', { name: 'Ship the billing export' });
  expect(within(feedItems()[0] as HTMLElement).getByText('Bob Baker')).toBeTruthy();
  expect(feedItems()).toHaveLength(1);

  const [stored] = (await api.as(bob.clerkId).expectations.list({ assigneeId: bob.id })).items;
  expect(stored).toMatchObject({ title: 'Ship the billing export', details: 'CSV, one row per invoice.', dueOn: '2031-02-03', status: 'open' });
  expect(saved.getAttribute('href')).toBe(`/expectations/${stored?.id}`);
});

it('takes the optimistic entry back and says why when the API refuses', async () => {
  const user = userEvent.setup();
  await api.as(alice.clerkId).expectations.create({ title: 'Already there' });
  renderApp({ api, user: alice.identity });
  await waitFor(() => expect(feedItems()).toHaveLength(1));
  await user.click(screen.getAllByRole('link', { name: 'New expectation' })[0] as HTMLElement);

  await user.type(await screen.findByLabelText('Title'), 'For someone about to leave');
  await user.click(screen.getByRole('combobox', { name: /Expected of/ }));
  await user.keyboard('bob');
  await waitFor(() => expect(optionNames()).toEqual(['Bob Baker']));
  await user.keyboard('{Enter}');
  // Bob's account is deleted before the form is sent.
  await api.deleteUser(bob.clerkId);
  await user.click(screen.getByRole('button', { name: 'Save expectation' }));

  expect(await screen.findByText(/“For someone about to leave” was not saved/)).toBeTruthy();
  await waitFor(() => expect(feedItems().map((item) => within(item).getByRole('heading').textContent)).toEqual(['Already there']));
});
