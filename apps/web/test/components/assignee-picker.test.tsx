import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TestApi } from '../support/api';
import { renderApp } from '../support/render-app';
import { addMember, type TeamMember } from '../support/team';

/**
 * The picker keeps the previous search's results on screen while the next one is under way. Those
 * are stale: with the API held back, Enter and click must not pick from them.
 */

let api: TestApi;
let alice: TeamMember;
beforeEach(async () => {
  api = new TestApi();
  alice = await addMember(api, 'Alice', 'Archer');
  await addMember(api, 'Bob', 'Baker');
  await addMember(api, 'Bea', 'Brown');
});
afterEach(() => api.destroy());

function optionNames() {
  return screen.getAllByRole('option').map((option) => option.querySelector('.person__name')?.textContent);
}

/** The create form, with the picker open on everyone (the search for no text answered). */
async function openPickerOnEveryone() {
  const user = userEvent.setup();
  renderApp({ api, user: alice.identity, path: '/expectations/new' });
  await screen.findByRole('heading', { name: 'New expectation' });
  await user.click(screen.getByRole('combobox', { name: /Expected of/ }));
  await waitFor(() => expect(optionNames()).toEqual(['Alice Archer', 'Bea Brown', 'Bob Baker']));
  return user;
}

/** Types `text` with the API held back, and returns once the search for it has been sent. */
async function typeWhileApiIsSlow(user: ReturnType<typeof userEvent.setup>, text: string) {
  const release = api.holdRequests();
  await user.keyboard(text);
  await waitFor(() => expect(api.callsTo('users.list').map((call) => call.input)).toContainEqual({ query: text, limit: 8 }));
  // The earlier search's results are still on screen.
  expect(optionNames()).toEqual(['Alice Archer', 'Bea Brown', 'Bob Baker']);
  return release;
}

it('waits for the results of what was typed when Enter comes first, and picks from those', async () => {
  const user = await openPickerOnEveryone();
  const release = await typeWhileApiIsSlow(user, 'Bob');

  await user.keyboard('{Enter}');
  // Nothing picked from the stale list, and the form was not sent.
  expect(screen.getByRole('combobox', { name: /Expected of/ })).toBeTruthy();
  expect(screen.queryByRole('button', { name: /Change who this is expected of/ })).toBeNull();
  expect(api.callsTo('expectations.create')).toEqual([]);
  expect(screen.getByRole('listbox', { name: 'People' }).getAttribute('aria-busy')).toBe('true');

  release();
  const change = await screen.findByRole('button', { name: /Change who this is expected of/ });
  expect(change.closest('.picker-value')?.textContent).toContain('Bob Baker');
  expect(change.closest('.picker-value')?.textContent).not.toContain('Alice Archer');
  // Focus moves in an effect after the render that shows the button: wait for it, not the render.
  await waitFor(() => expect(document.activeElement).toBe(change));
});

it('ignores a click on a stale result, and picks once the results match the text', async () => {
  const user = await openPickerOnEveryone();
  const release = await typeWhileApiIsSlow(user, 'Bob');

  await user.click(screen.getByRole('option', { name: 'Alice Archer' }));
  expect(screen.queryByRole('button', { name: /Change who this is expected of/ })).toBeNull();

  release();
  await waitFor(() => expect(optionNames()).toEqual(['Bob Baker']));
  await user.click(screen.getByRole('option', { name: 'Bob Baker' }));
  const change = await screen.findByRole('button', { name: /Change who this is expected of/ });
  expect(change.closest('.picker-value')?.textContent).toContain('Bob Baker');
});

it('forgets a waiting Enter when the text changes before the results arrive', async () => {
  const user = await openPickerOnEveryone();
  const release = await typeWhileApiIsSlow(user, 'Bob');
  await user.keyboard('{Enter}');
  await user.keyboard('{Backspace}{Backspace}{Backspace}Bea');
  release();

  await waitFor(() => expect(optionNames()).toEqual(['Bea Brown']));
  expect(screen.queryByRole('button', { name: /Change who this is expected of/ })).toBeNull();
  await user.keyboard('{Enter}');
  const change = await screen.findByRole('button', { name: /Change who this is expected of/ });
  expect(change.closest('.picker-value')?.textContent).toContain('Bea Brown');
});
