import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { AppBody } from '../../src/App';
import type { IdentityUser } from '../../src/identity';
import { TEST_API_URL, TEST_TEAM, TestApi, type TestTeam } from '../support/api';
import { TestIdentityProvider } from '../support/identity';
import { addMember, type TeamMember } from '../support/team';

const GLOBEX: TestTeam = { id: 'org_2globexTestTeamAAAAAAAAAAA', name: 'Globex' };

let api: TestApi;
let alice: TeamMember;
let bob: TeamMember;
beforeEach(async () => {
  window.history.replaceState(null, '', '/');
  api = new TestApi();
  alice = await addMember(api, 'Alice', 'Archer');
  bob = await addMember(api, 'Bob', 'Baker');
  await api.mirrorTeam(GLOBEX.id, GLOBEX.name);
  await api.mirrorMembership(GLOBEX.id, alice.clerkId);
});
afterEach(() => api.destroy());

function app(user: IdentityUser, team: TestTeam | null, onCreateTeam?: () => void) {
  return (
    <TestIdentityProvider user={user} team={team} onCreateTeam={onCreateTeam}>
      <AppBody api={{ apiUrl: TEST_API_URL, fetch: api.fetch }} />
    </TestIdentityProvider>
  );
}

function feedTitles() {
  const feed = screen.queryByRole('list', { name: 'Expectations, newest first' });
  return feed ? within(feed).getAllByRole('article').map((article) => within(article).getAllByRole('link')[0]!.textContent) : [];
}

it('switching teams shows the new team’s expectations and never a row of the previous team, even while they load', async () => {
  await api.as(alice.clerkId, TEST_TEAM.id).expectations.create({ title: 'Plan the Acme roadmap', assigneeId: bob.id });
  await api.as(alice.clerkId, GLOBEX.id).expectations.create({ title: 'Launch the Globex site' });

  const view = render(app(alice.identity, TEST_TEAM));
  await waitFor(() => expect(feedTitles()).toEqual(['Plan the Acme roadmap']));
  expect(screen.queryByText('Your personal expectations')).toBeNull();

  const release = api.holdRequests();
  view.rerender(app(alice.identity, GLOBEX));
  // The new team's feed is not there yet, and the previous team's rows are already gone.
  await screen.findByText('Loading your account…');
  expect(feedTitles()).toEqual([]);
  expect(screen.queryByText('Plan the Acme roadmap')).toBeNull();

  release();
  await waitFor(() => expect(feedTitles()).toEqual(['Launch the Globex site']));
});

it('with no team active, shows the person’s personal expectations only, and offers to create a team', async () => {
  await api.as(alice.clerkId, TEST_TEAM.id).expectations.create({ title: 'Plan the Acme roadmap', assigneeId: bob.id });
  await api.as(alice.clerkId, null).expectations.create({ title: 'Renew the flat’s lease', assigneeId: bob.id });
  await api.as(alice.clerkId, null).expectations.create({ title: 'Book the dentist' });
  const createTeam = vi.fn();

  render(app(bob.identity, null, createTeam));

  await waitFor(() => expect(feedTitles()).toEqual(['Renew the flat’s lease']));
  expect(screen.getByText('Your personal expectations')).toBeTruthy();
  expect(screen.getByText('Team: Personal account')).toBeTruthy();
  await userEvent.click(screen.getByRole('button', { name: 'Create a team' }));
  expect(createTeam).toHaveBeenCalledTimes(1);
});

it('offers only the active team’s members as assignees', async () => {
  const carol = await addMember(api, 'Carol', 'Cooper');
  await api.mirrorMembership(GLOBEX.id, carol.clerkId);
  window.history.replaceState(null, '', '/expectations/new');
  const user = userEvent.setup();

  render(app(alice.identity, GLOBEX));

  await screen.findByRole('heading', { name: 'New expectation' });
  await user.click(screen.getByRole('combobox', { name: /Expected of/ }));
  // Bob and Carol are both in Acme; only Carol (and Alice) are in Globex.
  await waitFor(() =>
    expect(screen.getAllByRole('option').map((option) => option.querySelector('.person__name')?.textContent)).toEqual(['Alice Archer', 'Carol Cooper']),
  );
});
