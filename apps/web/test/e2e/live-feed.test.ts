import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, openWatchedPage, type WatchedPage } from './support/browser';
import { changeFirstNameInUserProfile, signInWithPassword, switchTeam } from './support/clerk-ui';
import { adminPost, json } from './support/http';
import { startStack, type Stack } from './support/stack';

/**
 * The live feed in two headless Chromium browsers, through Clerk's own components against the
 * built SPA, the real API and the Clerk stand-in: A and B are both in Acme, each with Acme's feed
 * open. What A does (a new expectation, a status change, a new name in `<UserProfile/>`, the last
 * going Clerk → webhook → mirror) shows in B's open feed within a second, pushed: B's page asks
 * the API for nothing meanwhile. B, scrolled down, keeps the card it was reading where it was.
 */

const PASSWORD = 'correct horse battery';
const ALICE = { first_name: 'Alice', last_name: 'Archer', email_address: 'alice@example.test', password: PASSWORD };
const BOB = { first_name: 'Bob', last_name: 'Baker', email_address: 'bob@example.test', password: PASSWORD };
/** Enough of A's expectations for B's phone to scroll, and more than one page of the feed. */
const SEEDED = 24;
const seededTitle = (n: number) => `Acme commitment ${String(n).padStart(2, '0')}`;
/** The promise: a change shows in every other open feed within a second. */
const WITHIN_MS = 1000;

let stack: Stack;
let browser: Browser;
let alice: WatchedPage;
let bob: WatchedPage;
let acmeId = '';
const userIds = { alice: '', bob: '' };

const admin = <T>(path: string, body: unknown) => adminPost<T>(stack, path, body);

async function webhooksLanded(): Promise<void> {
  await vi.waitFor(() => expect(stack.emulator.webhookStats().pending).toBe(0), { timeout: 30_000, interval: 100 });
}

/** Creates an expectation in Acme as A, from another of A's devices. */
async function createInAcmeAsAlice(title: string): Promise<void> {
  const { jwt } = await admin<{ jwt: string }>('/admin/sessions', { user_id: userIds.alice, azp: stack.siteUrl, org_id: acmeId });
  await json(
    await fetch(`${stack.api.url}/trpc/expectations.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}`, origin: stack.siteUrl },
      body: JSON.stringify({ title }),
    }),
  );
}

interface Sighting {
  /** A card whose title is this… */
  title: string;
  /** …and that shows this text (its status, a person's name), if given. */
  showing?: string;
}

/**
 * Starts watching `page` for a card, from now on: resolves with the browser's clock when it
 * entered the DOM (a MutationObserver callback, before the frame is painted).
 */
function whenShown(page: Page, sighting: Sighting): Promise<number> {
  return page.evaluate(
    ({ title, showing }) =>
      new Promise<number>((resolve) => {
        const check = () => {
          const found = [...document.querySelectorAll('article')].some((card) => {
            const text = card.textContent ?? '';
            return text.includes(title) && (showing === undefined || text.includes(showing));
          });
          if (!found) return false;
          observer.disconnect();
          resolve(Date.now());
          return true;
        };
        const observer = new MutationObserver(check);
        if (!check()) observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      }),
    sighting,
  );
}

/** When the page's last response from a URL matching `pattern` finished arriving, on the browser's clock. */
function answeredAt(page: Page, pattern: RegExp): Promise<number> {
  return page.evaluate((source) => {
    const matching = performance.getEntriesByType('resource').filter((entry) => new RegExp(source).test(entry.name));
    const last = matching.at(-1) as PerformanceResourceTiming | undefined;
    if (!last) throw new Error(`no request matching ${source} was made`);
    return performance.timeOrigin + last.responseEnd;
  }, pattern.source);
}

/** B's reads of expectations (lists or single ones) since `from` (an index into its request log). */
function bobsReadsSince(from: number): string[] {
  return bob.requests.slice(from).filter((request) => /\/trpc\/[^?]*expectations\.(list|byId)/.test(request));
}

async function openAcmeFeed(watched: WatchedPage, email: string): Promise<void> {
  await signInWithPassword(watched.page, stack.siteUrl, email, PASSWORD);
  await switchTeam(watched.page, 'Acme');
  await watched.page.getByRole('link', { name: seededTitle(SEEDED) }).waitFor({ timeout: 20_000 });
  await watched.page.locator('.live-indicator--live').getByText('Live').waitFor({ timeout: 20_000 });
}

beforeAll(async () => {
  stack = await startStack();
  stack.connectWebhooks();
  browser = await launchChromium();
  userIds.alice = (await admin<{ id: string }>('/admin/users', ALICE)).id;
  userIds.bob = (await admin<{ id: string }>('/admin/users', BOB)).id;
  acmeId = (await admin<{ id: string }>('/admin/organizations', { name: 'Acme', created_by: userIds.alice })).id;
  await admin(`/admin/organizations/${acmeId}/memberships`, { user_id: userIds.bob, role: 'org:member' });
  await webhooksLanded();
  for (let n = 1; n <= SEEDED; n++) await createInAcmeAsAlice(seededTitle(n));

  alice = await openWatchedPage(browser, { width: 1280, height: 900 });
  bob = await openWatchedPage(browser, { width: 412, height: 915 });
});

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  const name = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50);
  await alice?.screenshot(`live-${name}-a`);
  await bob?.screenshot(`live-${name}-b`);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the live feed, in two browsers', () => {
  it('A and B open Acme’s feed, and each says it is live', async () => {
    await openAcmeFeed(alice, ALICE.email_address);
    await openAcmeFeed(bob, BOB.email_address);
  });

  it('A’s new expectation shows in B’s open feed within a second, without B asking', async () => {
    const title = 'Ship the live feed';
    const shown = whenShown(bob.page, { title });
    const readsFrom = bob.requests.length;

    await alice.page.getByRole('link', { name: 'New expectation' }).first().click();
    await alice.page.getByLabel('Title').fill(title);
    await alice.page.getByRole('button', { name: 'Save expectation' }).click();
    await alice.page.getByRole('link', { name: title }).waitFor();

    const latency = (await shown) - (await answeredAt(alice.page, /\/trpc\/[^?]*expectations\.create/));
    console.log(`live feed: A's new expectation shown in B's feed ${Math.round(latency)} ms after A's save was answered`);
    expect(latency).toBeLessThanOrEqual(WITHIN_MS);
    expect(bobsReadsSince(readsFrom)).toEqual([]);
    // On top, where the newest goes.
    await expect(bob.page.getByRole('article').first().textContent()).resolves.toContain(title);
  });

  it('A marks it met, and B’s card says so within a second', async () => {
    const title = 'Ship the live feed';
    const shown = whenShown(bob.page, { title, showing: 'Met' });
    const readsFrom = bob.requests.length;

    await alice.page.getByRole('link', { name: title }).click();
    await alice.page.getByRole('button', { name: 'Mark as met' }).click();
    await alice.page.getByRole('status').filter({ hasText: 'Status changed to met.' }).waitFor();

    const latency = (await shown) - (await answeredAt(alice.page, /\/trpc\/[^?]*expectations\.setStatus/));
    console.log(`live feed: A's status change shown in B's feed ${Math.round(latency)} ms after it was answered`);
    expect(latency).toBeLessThanOrEqual(WITHIN_MS);
    expect(bobsReadsSince(readsFrom)).toEqual([]);
  });

  it('A renames themself in <UserProfile/>, and B’s cards follow within a second of Clerk’s answer', async () => {
    const { page } = alice;
    const shown = whenShown(bob.page, { title: seededTitle(SEEDED), showing: 'Alicia Archer' });
    const readsFrom = bob.requests.length;

    await page.locator('.cl-userButtonTrigger').click();
    await page.locator('.cl-userButtonPopoverActionButton__manageAccount').click();
    await changeFirstNameInUserProfile(page, 'Alicia', 'Alicia Archer');

    // From Clerk's answer to the change: its webhook, the mirror's commit and the push all count.
    const latency = (await shown) - (await answeredAt(page, /\/__clerk\/v1\/me(\?|$)/));
    console.log(`live feed: A's new name shown in B's feed ${Math.round(latency)} ms after Clerk answered the change`);
    expect(latency).toBeLessThanOrEqual(WITHIN_MS);
    expect(bobsReadsSince(readsFrom)).toEqual([]);
    await expect(bob.page.getByText('Alice Archer', { exact: true }).count()).resolves.toBe(0);
  });

  it('B, scrolled down the feed, keeps reading the same card while new ones arrive above', async () => {
    const { page } = bob;
    const reading = page.getByRole('article').filter({ has: page.getByRole('link', { name: seededTitle(SEEDED - 6) }) });
    await reading.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, -100));
    const before = await reading.boundingBox();
    const scrolledBefore = await page.evaluate(() => window.scrollY);
    expect(scrolledBefore).toBeGreaterThan(0);

    const title = 'Arrives while B reads further down';
    const shown = whenShown(page, { title });
    await createInAcmeAsAlice(title);
    await shown;

    const after = await reading.boundingBox();
    expect(Math.abs(after!.y - before!.y)).toBeLessThanOrEqual(2);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(scrolledBefore);
    expect(alice.problems).toEqual([]);
    expect(bob.problems).toEqual([]);
  });
});
