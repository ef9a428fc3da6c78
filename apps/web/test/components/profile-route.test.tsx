import { screen } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TestApi } from '../support/api';
import { renderApp } from '../support/render-app';
import { addMember } from '../support/team';

let api: TestApi;
beforeEach(() => {
  api = new TestApi();
});
afterEach(() => api.destroy());

it.each(['/profile', '/profile/security'])('shows Clerk’s profile on every step of its path: %s', async (path) => {
  const ada = await addMember(api, 'Ada', 'Lovelace');
  renderApp({ api, user: ada.identity, path });
  expect(await screen.findByRole('heading', { name: 'Profile of Ada Lovelace' })).toBeTruthy();
});
