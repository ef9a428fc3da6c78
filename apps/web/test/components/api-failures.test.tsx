import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Query } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { recoveryDelay, refetchWhileUnavailable } from '../../src/api/retryPolicy';
import { TestApi } from '../support/api';
import { renderApp } from '../support/render-app';
import { addMember, type TeamMember } from '../support/team';

/**
 * The API failing under the screens: a save that fails is not lost, and reads say what failed
 * and recover by themselves once the API answers again (the end-to-end test does the same in
 * Chromium, with the network really refusing).
 */

let api: TestApi;
let alice: TeamMember;
beforeEach(async () => {
  api = new TestApi();
  alice = await addMember(api, 'Alice', 'Archer');
});
afterEach(() => api.destroy());

const feedItems = () => within(screen.getByRole('list', { name: 'Expectations, newest first' })).getAllByRole('article');

it('keeps a create that met a 5xx: back on the form with everything typed, and saved when asked again', async () => {
  const user = userEvent.setup();
  await api.as(alice.clerkId).expectations.create({ title: 'Already there' });
  renderApp({ api, user: alice.identity });
  await waitFor(() => expect(feedItems()).toHaveLength(1));
  await user.click(screen.getAllByRole('link', { name: 'New expectation' })[0] as HTMLElement);
  await user.type(await screen.findByLabelText('Title'), 'Renew the certificates');
  await user.type(screen.getByLabelText(/Details/), 'Both load balancers.');
  await user.type(screen.getByLabelText(/Due date/), '2031-03-04');

  api.failNextRequests(1, 503);
  await user.click(screen.getByRole('button', { name: 'Save expectation' }));
  expect(await screen.findByText('“Renew the certificates” was not saved. The server isn’t working right now. Try again in a moment.')).toBeTruthy();
  await waitFor(() => expect(feedItems().map((item) => within(item).getByRole('heading').textContent)).toEqual(['Already there']));
  expect((await api.as(alice.clerkId).expectations.list({})).items).toHaveLength(1);

  await user.click(screen.getByRole('link', { name: 'Back to the form' }));
  expect(await screen.findByRole('heading', { name: 'New expectation' })).toBeTruthy();
  expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Renew the certificates');
  expect((screen.getByLabelText(/Details/) as HTMLTextAreaElement).value).toBe('Both load balancers.');
  expect((screen.getByLabelText(/Due date/) as HTMLInputElement).value).toBe('2031-03-04');
  expect(screen.getByText(/This wasn’t saved: The server isn’t working right now/)).toBeTruthy();
  // The notice led here and is gone.
  expect(screen.queryByText(/was not saved/)).toBeNull();

  await user.click(screen.getByRole('button', { name: 'Save expectation' }));
  expect(await screen.findByRole('link', { name: 'Renew the certificates' })).toBeTruthy();
  const stored = (await api.as(alice.clerkId).expectations.list({})).items.map((item) => [item.title, item.details, item.dueOn]);
  expect(stored).toEqual([
    ['Renew the certificates', 'Both load balancers.', '2031-03-04'],
    ['Already there', '', null],
  ]);

  // Saved: the next new form starts empty.
  await user.click(screen.getAllByRole('link', { name: 'New expectation' })[0] as HTMLElement);
  expect(((await screen.findByLabelText('Title')) as HTMLInputElement).value).toBe('');
  expect(screen.queryByText(/This wasn’t saved/)).toBeNull();
});

it('says what failed when the detail page gets no answer, and shows it by itself once the API answers', async () => {
  const user = userEvent.setup();
  const created = await api.as(alice.clerkId).expectations.create({ title: 'Ship the export', details: 'One row per invoice.' });
  renderApp({ api, user: alice.identity });
  const link = await screen.findByRole('link', { name: 'Ship the export' });

  // The first request and both retries get no answer; the next one does.
  api.failNextRequests(3);
  await user.click(link);
  expect(window.location.pathname).toBe(`/expectations/${created.id}`);
  expect(await screen.findByText('We couldn’t load this expectation.', {}, { timeout: 10_000 })).toBeTruthy();
  expect(screen.getByText('We couldn’t reach the server. Check your connection and try again.')).toBeTruthy();
  expect(screen.getByText('We’ll keep trying in the background.')).toBeTruthy();

  // Nobody clicks Try again: the page asks again by itself.
  expect(await screen.findByText('One row per invoice.', {}, { timeout: 10_000 })).toBeTruthy();
  expect(screen.queryByText('We couldn’t load this expectation.')).toBeNull();
  expect(api.callsTo('expectations.byId')).toHaveLength(4);
});

it('keeps asking in the background only for failures that may pass, further apart each time', () => {
  const failedWith = (error: unknown, errorUpdateCount: number) => ({ state: { status: 'error', error, errorUpdateCount } }) as unknown as Query;
  const noAnswer = new TRPCClientError('fetch failed');
  const notFound = new TRPCClientError('No expectation', { result: { error: { code: -32004, message: 'No expectation', data: { code: 'NOT_FOUND', httpStatus: 404 } } } });
  const ceilings = [2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000];
  const delays = [1, 2, 3, 4, 5, 6, 9].map((count) => refetchWhileUnavailable(failedWith(noAnswer, count)) as number);
  delays.forEach((delay, index) => expect(delay).toBeGreaterThanOrEqual(ceilings[index]! / 2));
  delays.forEach((delay, index) => expect(delay).toBeLessThanOrEqual(ceilings[index]!));
  // Spread over the upper half of each step, so that browsers that failed together come back apart.
  expect([1, 2, 3, 9].map((count) => recoveryDelay(count, () => 0))).toEqual([1000, 2000, 4000, 15_000]);
  expect([1, 2, 3, 9].map((count) => recoveryDelay(count, () => 1))).toEqual([2000, 4000, 8000, 30_000]);
  expect(recoveryDelay(2, () => 0.5)).toBe(3000);
  expect(refetchWhileUnavailable(failedWith(notFound, 1))).toBe(false);
  expect(refetchWhileUnavailable({ state: { status: 'success', error: null, errorUpdateCount: 1 } } as unknown as Query)).toBe(false);
});
