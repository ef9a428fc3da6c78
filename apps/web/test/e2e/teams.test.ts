import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openWatchedPage, type WatchedPage } from './support/browser';
import { startStack, type Stack } from './support/stack';

/**
 * Teams in headless Chromium, through Clerk's own `<OrganizationSwitcher/>` against the built SPA,
 * the real API and the Clerk stand-in. The people and teams are made through the stand-in's admin
 * API, as Clerk's dashboard would; everything after that goes through the SPA and Clerk's UI, and
 * the API learns of every change only from the stand-in's webhooks.
 *
 * A (admin of Acme, with B as a member) signs in to personal expectations, switches to Acme and
 * assigns an expectation to B; B switches to Acme and sees it; C, in Globex, sees none of it and
 * gets "not found" for its id; A removes B from Acme and B's next request is refused.
 */

const PASSWORD = 'correct horse battery';
const PEOPLE = {
  alice: { first_name: 'Alice', last_name: 'Archer', email_address: 'alice@example.test', password: PASSWORD },
  bob: { first_name: 'Bob', last_name: 'Baker', email_address: 'bob@example.test', password: PASSWORD },
  carol: { first_name: 'Carol', last_name: 'Cooper', email_address: 'carol@example.test', password: PASSWORD },
};
const TITLE = 'Plan the Acme roadmap';

let stack: Stack;
let browser: Browser;
let alice: WatchedPage;
let bob: WatchedPage;
let carol: WatchedPage;
const ids = { bob: '', acme: '' };
let expectationPath = '';

async function admin<T>(path: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.emulator.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Waits until every webhook the stand-in has queued was acknowledged by the API (after its commit). */
async function webhooksLanded(): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (stack.emulator.webhookStats().pending > 0) {
    if (Date.now() > deadline) throw new Error(`${stack.emulator.webhookStats().pending} webhooks still pending after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function signInWithPassword(page: Page, email: string): Promise<void> {
  await page.goto(`${stack.siteUrl}/sign-in`);
  await page.locator('input[name=identifier]').fill(email);
  await page.locator('.cl-formButtonPrimary').click();
  await page.waitForURL(/\/sign-in\/factor-one/);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('.cl-formButtonPrimary').click();
}

/** Picks `team` in Clerk's `<OrganizationSwitcher/>`; the SPA lands on that team's feed. */
async function switchTeam(page: Page, team: string): Promise<void> {
  await page.locator('.cl-organizationSwitcherTrigger').click();
  await page.locator('.cl-organizationSwitcherPopoverCard').waitFor();
  await page.locator('.cl-organizationSwitcherPreviewButton', { hasText: team }).click();
  await page.locator('.cl-organizationSwitcherPopoverCard').waitFor({ state: 'hidden' });
  await expect.poll(() => page.locator('.cl-organizationSwitcherTrigger').textContent(), { timeout: 10_000 }).toContain(team);
  await page.getByRole('heading', { name: 'Expectations', exact: true }).waitFor();
  await page.getByText('Your personal expectations').waitFor({ state: 'hidden' });
}

beforeAll(async () => {
  stack = await startStack();
  stack.connectWebhooks();
  const [aliceUser, bobUser, carolUser] = await Promise.all(
    [PEOPLE.alice, PEOPLE.bob, PEOPLE.carol].map((person) => admin<{ id: string }>('/admin/users', 'POST', person)),
  );
  ids.bob = bobUser!.id;
  const acme = await admin<{ id: string }>('/admin/organizations', 'POST', { name: 'Acme', created_by: aliceUser!.id });
  ids.acme = acme.id;
  await admin(`/admin/organizations/${acme.id}/memberships`, 'POST', { user_id: bobUser!.id, role: 'org:member' });
  await admin('/admin/organizations', 'POST', { name: 'Globex', created_by: carolUser!.id });
  await webhooksLanded();
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

describe('teams, through Clerk’s <OrganizationSwitcher/>', () => {
  it('A signs in to personal expectations, switches to Acme and assigns an expectation to B, a member', async () => {
    const { page } = alice;
    await signInWithPassword(page, PEOPLE.alice.email_address);
    await page.getByText('Your personal expectations').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Create a team' }).waitFor();
    await alice.screenshot('teams-01-personal');

    await switchTeam(page, 'Acme');
    await page.getByText('No expectations yet.').waitFor();
    await page.getByRole('link', { name: 'New expectation' }).first().click();
    await page.getByLabel('Title').fill(TITLE);
    await page.getByRole('combobox', { name: /Expected of/ }).focus();
    // Acme's members only: Carol, in Globex, is not offered.
    await page.getByRole('option', { name: 'Bob Baker' }).waitFor();
    await expect(page.locator('[role=option] .person__name').allTextContents()).resolves.toEqual(['Alice Archer', 'Bob Baker']);
    await page.getByRole('option', { name: 'Bob Baker' }).click();
    await page.getByRole('button', { name: 'Save expectation' }).click();
    await page.waitForURL(`${stack.siteUrl}/`);
    const link = page.getByRole('article').getByRole('link', { name: TITLE });
    expectationPath = new URL((await link.getAttribute('href'))!, stack.siteUrl).pathname;
    expect(expectationPath).toMatch(/^\/expectations\/\d+$/);
    await alice.screenshot('teams-02-acme-feed');
  });

  it('B does not see it among personal expectations, switches to Acme and sees it with A’s name', async () => {
    const { page } = bob;
    await signInWithPassword(page, PEOPLE.bob.email_address);
    await page.getByText('Your personal expectations').waitFor({ timeout: 20_000 });
    await page.getByText('No expectations yet.').waitFor();
    await expect(page.getByText(TITLE).count()).resolves.toBe(0);

    await switchTeam(page, 'Acme');
    const card = page.getByRole('article').filter({ has: page.getByRole('link', { name: TITLE }) });
    await card.getByText('Alice Archer').waitFor();
    await bob.screenshot('teams-03-b-in-acme');
  });

  it('C, in Globex, sees none of Acme’s expectations and gets “not found” for its id', async () => {
    const { page } = carol;
    await signInWithPassword(page, PEOPLE.carol.email_address);
    await page.getByText('Your personal expectations').waitFor({ timeout: 20_000 });
    await switchTeam(page, 'Globex');
    await page.getByText('No expectations yet.').waitFor();

    const expectedNotFound = carol.expectFailedRequest(404, /^\/trpc\/expectations\.byId$/);
    await page.goto(`${stack.siteUrl}${expectationPath}`);
    await page.getByRole('heading', { name: 'Expectation not found' }).waitFor({ timeout: 20_000 });
    await expect(page.getByText(TITLE).count()).resolves.toBe(0);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    await carol.screenshot('teams-04-c-not-found');
    expectedNotFound();
  });

  it('A removes B from Acme, and B’s next request is refused', async () => {
    await admin(`/admin/organizations/${ids.acme}/memberships/${ids.bob}`, 'DELETE');
    await webhooksLanded();

    const { page } = bob;
    // B's session token may still name Acme (refused: the membership ended), or, refreshed since,
    // no team at all (then Acme's expectation does not exist for B): either way, nothing of it shows.
    bob.expectFailedRequest(403, /^\/trpc\/expectations\.byId$/);
    bob.expectFailedRequest(404, /^\/trpc\/expectations\.byId$/);
    await page.getByRole('link', { name: TITLE }).click();
    await page
      .getByText('You are no longer a member of this team, or the team was deleted. Switch to another team.')
      .or(page.getByRole('heading', { name: 'Expectation not found' }))
      .first()
      .waitFor({ timeout: 20_000 });
    await expect(page.getByRole('heading', { level: 1, name: TITLE }).count()).resolves.toBe(0);
    await bob.screenshot('teams-05-b-removed');
  });

  it('sent nothing off this machine and logged no console errors', () => {
    expect([...alice.problems, ...bob.problems, ...carol.problems]).toEqual([]);
  });
});
