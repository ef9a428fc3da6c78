import { EMAIL_CODE } from '@expectations/clerk-emulator';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openWatchedPage, type WatchedPage } from './support/browser';
import { enterCode, inTeamFeed, openSwitcher, switchTeam } from './support/clerk-ui';
import { startStack, type Stack } from './support/stack';

/**
 * Teams in headless Chromium, entirely through Clerk's own components against the built SPA, the
 * real API and the Clerk stand-in: people sign up in `<SignUp/>`, teams are made in
 * `<CreateOrganization/>`, picked and joined in `<OrganizationSwitcher/>`, and invitations,
 * removals and deletion happen in `<OrganizationProfile/>`. The API learns of every change only
 * from the stand-in's webhooks.
 *
 * A creates Acme and invites B by email; C creates Globex; B signs up with the invited address
 * and accepts; A assigns an expectation in Acme to B, picking from Acme's members only; B
 * switches to Acme and sees it; C sees none of it and gets "not found" for its id; A removes B
 * and B's open feed is refused at once; A deletes Acme and lands back in personal expectations.
 */

const PEOPLE = {
  alice: { firstName: 'Alice', lastName: 'Archer', emailAddress: 'alice@example.test' },
  bob: { firstName: 'Bob', lastName: 'Baker', emailAddress: 'bob@example.test' },
  carol: { firstName: 'Carol', lastName: 'Cooper', emailAddress: 'carol@example.test' },
};
type Person = (typeof PEOPLE)[keyof typeof PEOPLE];
const TITLE = 'Plan the Acme roadmap';

let stack: Stack;
let browser: Browser;
let alice: WatchedPage;
let bob: WatchedPage;
let carol: WatchedPage;
let expectationPath = '';

/** Waits until every webhook the stand-in has queued was acknowledged by the API (after its commit). */
async function webhooksLanded(): Promise<void> {
  await expect.poll(() => stack.emulator.webhookStats().pending, { timeout: 30_000 }).toBe(0);
}

/** The names of the teams the stand-in holds, as Clerk's dashboard would list them. */
async function teamNamesInClerk(): Promise<string[]> {
  const response = await fetch(`${stack.emulator.url}/admin/organizations`);
  if (!response.ok) throw new Error(`GET /admin/organizations answered ${response.status}: ${await response.text()}`);
  const { data } = (await response.json()) as { data: { name: string }[] };
  return data.map((organization) => organization.name).sort();
}

/** Signs up in `<SignUp/>` with the email code; the SPA shows the personal feed once user.created landed. */
async function signUp(page: Page, person: Person): Promise<void> {
  await page.goto(stack.siteUrl);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.locator('.cl-signUp-root').waitFor();
  await page.locator('input[name=firstName]').fill(person.firstName);
  await page.locator('input[name=lastName]').fill(person.lastName);
  await page.locator('input[name=emailAddress]').fill(person.emailAddress);
  await page.locator('.cl-formButtonPrimary').click();
  await page.waitForURL(/\/sign-up\/verify-email-address/);
  await enterCode(page, EMAIL_CODE);
  await page.getByText('Your personal expectations').waitFor({ timeout: 20_000 });
}

/** "Create organization" in the switcher, named in `<CreateOrganization/>`; the SPA lands on its feed. */
async function createTeam(page: Page, team: string): Promise<void> {
  await openSwitcher(page);
  await page.locator('.cl-organizationSwitcherPopoverActionButton__createOrganization').click();
  await page.locator('.cl-createOrganization-root').waitFor();
  await page.locator('input[name=name]').fill(team);
  await page.locator('.cl-formButtonPrimary').click();
  // Clerk then offers to invite members; that is done in <OrganizationProfile/> here.
  await page.getByRole('button', { name: 'Skip' }).click();
  await page.locator('.cl-createOrganization-root').waitFor({ state: 'hidden' });
  await inTeamFeed(page, team);
}

/** "Manage" in the switcher opens the active team's `<OrganizationProfile/>`. */
async function manageTeam(page: Page): Promise<void> {
  await openSwitcher(page);
  await page.locator('.cl-organizationSwitcherPopoverActionButton__manageOrganization').click();
  await page.locator('.cl-organizationProfile-root').waitFor();
}

async function closeTeamProfile(page: Page): Promise<void> {
  await page.locator('.cl-modalCloseButton').click();
  await page.locator('.cl-organizationProfile-root').waitFor({ state: 'hidden' });
}

beforeAll(async () => {
  stack = await startStack();
  stack.connectWebhooks();
  browser = await launchChromium();
  alice = await openWatchedPage(browser, { width: 1280, height: 900 });
  bob = await openWatchedPage(browser, { width: 1280, height: 900 });
  // Carol is on a phone: the narrowest width the SPA supports, with the team switcher in the header.
  carol = await openWatchedPage(browser, { width: 360, height: 780 });
});

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  const name = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  await Promise.allSettled([alice?.screenshot(`teams-failed-${name}-a`), bob?.screenshot(`teams-failed-${name}-b`), carol?.screenshot(`teams-failed-${name}-c`)]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('teams, through Clerk’s components only', () => {
  it('A signs up, creates Acme in the switcher and invites B by email in <OrganizationProfile/>', async () => {
    const { page } = alice;
    await signUp(page, PEOPLE.alice);
    await alice.screenshot('teams-01-personal');

    await createTeam(page, 'Acme');
    await page.getByText('No expectations yet.').waitFor();

    await manageTeam(page);
    await page.locator('.cl-navbarButton__members').click();
    await page.locator('.cl-membersPageInviteButton').click();
    await page.locator('.cl-tagInputContainer input').fill(PEOPLE.bob.emailAddress);
    await page.locator('.cl-tagInputContainer input').press('Enter');
    await alice.screenshot('teams-02-invite');
    await page.getByRole('button', { name: 'Send invitations' }).click();
    await page.getByText('Invitations successfully sent').waitFor();
    await closeTeamProfile(page);
    await expect(teamNamesInClerk()).resolves.toEqual(['Acme']);
  });

  it('C signs up and creates Globex', async () => {
    const { page } = carol;
    await signUp(page, PEOPLE.carol);
    await createTeam(page, 'Globex');
    await page.getByText('No expectations yet.').waitFor();
  });

  it('B signs up with the invited address and accepts the invitation in the switcher', async () => {
    const { page } = bob;
    await signUp(page, PEOPLE.bob);
    await openSwitcher(page);
    await bob.screenshot('teams-03-b-invited');
    await page.locator('.cl-organizationSwitcherInvitationAcceptButton').click();
    await page.locator('.cl-organizationSwitcherPreviewButton', { hasText: 'Acme' }).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.cl-organizationSwitcherPopoverCard').waitFor({ state: 'hidden' });
    await webhooksLanded();
  });

  it('A assigns an expectation in Acme to B, choosing among Acme’s members only', async () => {
    const { page } = alice;
    await page.getByRole('link', { name: 'New expectation' }).first().click();
    await page.getByLabel('Title').fill(TITLE);
    await page.getByRole('combobox', { name: /Expected of/ }).focus();
    // Carol, in Globex, is not offered.
    await page.getByRole('option', { name: 'Bob Baker' }).waitFor();
    await expect(page.locator('[role=option] .person__name').allTextContents()).resolves.toEqual(['Alice Archer', 'Bob Baker']);
    await page.getByRole('option', { name: 'Bob Baker' }).click();
    await page.getByRole('button', { name: 'Save expectation' }).click();
    await page.waitForURL(`${stack.siteUrl}/`);
    const link = page.getByRole('article').getByRole('link', { name: TITLE });
    expectationPath = new URL((await link.getAttribute('href'))!, stack.siteUrl).pathname;
    expect(expectationPath).toMatch(/^\/expectations\/\d+$/);
    await alice.screenshot('teams-04-acme-feed');
  });

  it('B does not see it among personal expectations, switches to Acme and sees it with A’s name', async () => {
    const { page } = bob;
    await page.getByText('No expectations yet.').waitFor();
    await expect(page.getByText(TITLE).count()).resolves.toBe(0);

    await switchTeam(page, 'Acme');
    const card = page.getByRole('article').filter({ has: page.getByRole('link', { name: TITLE }) });
    await card.getByText('Alice Archer').waitFor();
    await bob.screenshot('teams-05-b-in-acme');
  });

  it('C, in Globex, sees none of Acme’s expectations and gets “not found” for its id', async () => {
    const { page } = carol;
    await expect(page.getByText(TITLE).count()).resolves.toBe(0);
    const expectedNotFound = carol.expectFailedRequest(404, /^\/trpc\/expectations\.byId$/);
    await page.goto(`${stack.siteUrl}${expectationPath}`);
    await page.getByRole('heading', { name: 'Expectation not found' }).waitFor({ timeout: 20_000 });
    await expect(page.getByText(TITLE).count()).resolves.toBe(0);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    await carol.screenshot('teams-06-c-not-found');
    expectedNotFound();
  });

  it('A removes B in <OrganizationProfile/>, and B’s open feed is refused at once', async () => {
    // B's page loads anew, as it does after a while away: clerk-js's token for B, minted now, names
    // Acme for its whole minute, so B's feed, asked again below, names a team whose membership has ended.
    await bob.page.reload();
    await inTeamFeed(bob.page, 'Acme');

    // B's open feed is refused as soon as the removal lands, which may be before this test sees it land.
    bob.expectFailedRequest(403, /^\/trpc\/expectations\.list$/);
    const { page } = alice;
    // Clerk's UI reuses, for a minute, the member list it fetched when A invited B; A comes back to the page later.
    await page.reload();
    await inTeamFeed(page, 'Acme');
    await manageTeam(page);
    await page.locator('.cl-navbarButton__members').click();
    const row = page.getByRole('row').filter({ hasText: PEOPLE.bob.emailAddress });
    // B joined with the role A's invitation gave: member.
    await row.getByText('Member', { exact: true }).waitFor();
    await row.locator('.cl-menuButtonEllipsis').click();
    await alice.screenshot('teams-07-remove-member');
    await page.locator('.cl-menuItem', { hasText: 'Remove member' }).click();
    await row.waitFor({ state: 'detached' });
    await closeTeamProfile(page);
    await webhooksLanded();

    // B's open feed learns of it by itself (the live feed ends with the refusal): it asks for the
    // feed again, is refused, and shows why instead of Acme's expectations.
    await bob.page.getByText('You are no longer a member of this team, or the team was deleted. Switch to another team.').waitFor({ timeout: 20_000 });
    await expect(bob.page.getByRole('link', { name: TITLE }).count()).resolves.toBe(0);
    await bob.screenshot('teams-08-b-removed');
    // Loaded again, clerk-js holds no team for B any more: B is back in personal expectations.
    await bob.page.goto(stack.siteUrl);
    await bob.page.getByText('Your personal expectations').waitFor({ timeout: 20_000 });
  });

  it('A deletes Acme in <OrganizationProfile/>, lands in personal expectations, and Acme’s expectation is gone', async () => {
    const { page } = alice;
    // A's open Acme feed may hear of the deletion (the webhook, then the live feed) before Clerk
    // moves A to personal expectations: its last read of Acme is then refused.
    alice.expectFailedRequest(403, /^\/trpc\/expectations\.list$/);
    await manageTeam(page);
    await page.locator('.cl-navbarButton__general').click();
    await page.getByRole('button', { name: 'Delete organization' }).click();
    await alice.screenshot('teams-09-delete-team');
    await page.locator('input[name=deleteOrganizationConfirmation]').fill('Acme');
    await page.locator('.cl-formButtonPrimary', { hasText: 'Delete organization' }).click();
    await page.getByText('Your personal expectations').waitFor({ timeout: 20_000 });
    await expect(teamNamesInClerk()).resolves.toEqual(['Globex']);
    await webhooksLanded();

    const expectedNotFound = alice.expectFailedRequest(404, /^\/trpc\/expectations\.byId$/);
    await page.goto(`${stack.siteUrl}${expectationPath}`);
    await page.getByRole('heading', { name: 'Expectation not found' }).waitFor({ timeout: 20_000 });
    expectedNotFound();
  });

  it('sent nothing off this machine and logged no console errors', () => {
    expect([...alice.problems, ...bob.problems, ...carol.problems]).toEqual([]);
  });
});
