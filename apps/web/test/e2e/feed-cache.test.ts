import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, openWatchedPage, type WatchedPage } from './support/browser';
import { signInWithPassword } from './support/clerk-ui';
import { adminPost, json } from './support/http';
import { startStack, type Stack } from './support/stack';

/**
 * The feed a returning person sees before the API answers, kept in the browser between visits,
 * in headless Chromium through Clerk's own components against the built SPA, the real API and the
 * Clerk stand-in.
 *
 * On one browser, A signs in and sees A's feed, then signs out; B signs in on the same page, and
 * no frame of B's session ever holds one of A's titles. B closes the page; meanwhile B's feed
 * changes on the server; B opens the app again and sees the saved feed first, quietly refreshing,
 * then the server's.
 */

const PASSWORD = 'correct horse battery';
const ALICE = { first_name: 'Alice', last_name: 'Archer', email_address: 'alice@example.test', password: PASSWORD };
const BOB = { first_name: 'Bob', last_name: 'Baker', email_address: 'bob@example.test', password: PASSWORD };
const ALICE_TITLES = ['Alice’s private roadmap', 'Alice’s salary review'];
const BOB_TITLE = 'Bob’s first commitment';
const BOB_NEW_TITLE = 'Bob’s commitment made on another device';
const CACHE_KEY_PREFIX = 'expectations.cache:';
const LANDING_HEADING = 'Say what you expect. See it through.';

let stack: Stack;
let browser: Browser;
let watched: WatchedPage;
const userIds = { alice: '', bob: '' };
/** Each time one of A's titles was in the page's DOM, with the page's address and whose session it was. */
const sightings: Array<{ title: string; url: string; during: string }> = [];
let session = 'nobody';
let bobExpectationId = 0;

const admin = <T>(path: string, body: unknown) => adminPost<T>(stack, path, body);

/** Calls a mutation of the API as `userId`, as another of their devices would. */
async function mutateAs<T>(userId: string, procedure: string, input: unknown): Promise<T> {
  const { jwt } = await admin<{ jwt: string }>('/admin/sessions', { user_id: userId, azp: stack.siteUrl });
  const { result } = await json<{ result: { data: T } }>(
    await fetch(`${stack.api.url}/trpc/${procedure}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}`, origin: stack.siteUrl },
      body: JSON.stringify(input),
    }),
  );
  return result.data;
}

/** The keys of the feed caches the SPA holds in this browser's localStorage. */
function savedCaches(page: Page): Promise<string[]> {
  return page.evaluate((prefix) => Object.keys(localStorage).filter((key) => key.startsWith(prefix)), CACHE_KEY_PREFIX);
}

/**
 * Signing out can race clerk-js's background refresh of that session's token, which the stand-in
 * then answers 401 as Clerk does: for the ended session's token requests, that line is expected.
 */
async function signOut(page: Page): Promise<void> {
  const sessionId = await page.evaluate(() => (window as unknown as { Clerk?: { session?: { id: string } } }).Clerk?.session?.id);
  expect(sessionId).toMatch(/^sess_/);
  watched.expectFailedRequest(401, new RegExp(`/v1/client/sessions/${sessionId}/tokens$`));
  await page.locator('.cl-userButtonTrigger').click();
  await page.locator('.cl-userButtonPopoverCard').waitFor();
  await page.locator('.cl-userButtonPopoverActionButton__signOut').click();
  await page.getByRole('heading', { name: LANDING_HEADING }).waitFor();
}

beforeAll(async () => {
  stack = await startStack();
  stack.connectWebhooks();
  browser = await launchChromium();
  userIds.alice = (await admin<{ id: string }>('/admin/users', ALICE)).id;
  userIds.bob = (await admin<{ id: string }>('/admin/users', BOB)).id;
  // Both user.created webhooks have reached the API before anyone signs in.
  await vi.waitFor(() => expect(stack.emulator.webhookStats().pending).toBe(0), { timeout: 30_000, interval: 100 });
  for (const title of ALICE_TITLES) await mutateAs(userIds.alice, 'expectations.create', { title });
  bobExpectationId = (await mutateAs<{ id: number }>(userIds.bob, 'expectations.create', { title: BOB_TITLE })).id;

  watched = await openWatchedPage(browser, { width: 412, height: 915 });
  // Every page of this browser context, from its first script on, reports A's titles the moment
  // they enter the DOM (a MutationObserver runs before the frame is painted).
  await watched.context.exposeBinding('reportTitleSeen', (_source, title: string, url: string) => {
    sightings.push({ title, url, during: session });
  });
  await watched.context.addInitScript((titles: string[]) => {
    const report = (window as unknown as { reportTitleSeen(title: string, url: string): Promise<void> }).reportTitleSeen;
    const reported = new Set<string>();
    new MutationObserver(() => {
      const text = document.documentElement?.textContent ?? '';
      for (const title of titles) {
        if (!text.includes(title) || reported.has(title)) continue;
        reported.add(title);
        void report(title, location.href);
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  }, ALICE_TITLES);
});

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  await watched?.screenshot(`failed-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the feed saved in the browser', () => {
  it('A sees A’s feed, which the browser keeps for A; signing out removes it', async () => {
    const { page } = watched;
    session = 'A';
    await signInWithPassword(page, stack.siteUrl, ALICE.email_address, PASSWORD);
    for (const title of ALICE_TITLES) await page.getByRole('link', { name: title }).waitFor({ timeout: 20_000 });
    // The watch works: it saw A's titles in A's session.
    expect(new Set(sightings.map((sighting) => sighting.title))).toEqual(new Set(ALICE_TITLES));
    // Saved under A's id and A's scope (no team: personal), a moment after it was shown.
    await expect.poll(() => savedCaches(page), { timeout: 10_000 }).toEqual([`${CACHE_KEY_PREFIX}${userIds.alice}:personal`]);

    await signOut(page);
    session = 'signed out';
    await expect.poll(() => savedCaches(page), { timeout: 10_000 }).toEqual([]);
    expect(watched.problems).toEqual([]);
  });

  it('B signs in on the same page and never has a frame with one of A’s titles', async () => {
    const { page } = watched;
    session = 'B';
    await signInWithPassword(page, stack.siteUrl, BOB.email_address, PASSWORD);
    await page.getByRole('link', { name: BOB_TITLE }).waitFor({ timeout: 20_000 });
    expect(sightings.filter((sighting) => sighting.during !== 'A')).toEqual([]);
    await expect.poll(() => savedCaches(page), { timeout: 10_000 }).toEqual([`${CACHE_KEY_PREFIX}${userIds.bob}:personal`]);
    // Opening the app again, as B, restores only B's feed.
    await page.reload();
    await page.getByRole('link', { name: BOB_TITLE }).waitFor({ timeout: 20_000 });
    expect(sightings.filter((sighting) => sighting.during !== 'A')).toEqual([]);
    expect(watched.problems).toEqual([]);
  });

  it('B, back after the feed changed elsewhere, sees the saved feed at once, then the server’s', async () => {
    const { page } = watched;
    await page.goto('about:blank');
    // While the app is closed: another of B's devices adds an expectation and marks the first met.
    await mutateAs(userIds.bob, 'expectations.create', { title: BOB_NEW_TITLE });
    await mutateAs(userIds.bob, 'expectations.setStatus', { id: bobExpectationId, status: 'met' });

    // The API's answer to the feed is held back until the saved feed has been seen: no race decides what shows first.
    let releaseFeed = () => {};
    const feedHeld = new Promise<void>((resolve) => (releaseFeed = resolve));
    await page.route(
      (url) => url.pathname.startsWith('/trpc/') && url.pathname.includes('expectations.list'),
      async (route) => {
        await feedHeld;
        await route.continue();
      },
    );
    await page.goto(stack.siteUrl);

    const savedCard = page.getByRole('article').filter({ has: page.getByRole('link', { name: BOB_TITLE }) });
    await savedCard.waitFor({ timeout: 20_000 });
    await expect(savedCard.locator('.badge').textContent()).resolves.toBe('Open');
    expect(await page.getByRole('link', { name: BOB_NEW_TITLE }).count()).toBe(0);
    await page.getByRole('status').filter({ hasText: 'Refreshing…' }).waitFor();

    releaseFeed();
    await page.getByRole('link', { name: BOB_NEW_TITLE }).waitFor();
    await expect.poll(() => savedCard.locator('.badge').textContent()).toBe('Met');
    await page.getByRole('status').filter({ hasText: 'Refreshing…' }).waitFor({ state: 'detached' });
    expect(sightings.filter((sighting) => sighting.during !== 'A')).toEqual([]);
    expect(watched.problems).toEqual([]);
  });
});
