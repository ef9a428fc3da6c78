/**
 * Renders the README's picture, docs/screenshot-feed.png: the built SPA with a few
 * expectations, signed in through Clerk's own <SignIn/>, with Clerk's <UserButton/> menu open.
 * Runs the whole product on loopback as the end-to-end tests do.
 *
 *   pnpm --filter @expectations/web screenshot
 */
import { EMAIL_CODE } from '@expectations/clerk-emulator';
import { launchChromium } from '../test/e2e/support/browser';
import { startStack } from '../test/e2e/support/stack';

const output = new URL('../../../docs/screenshot-feed.png', import.meta.url).pathname;

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const stack = await startStack();
const browser = await launchChromium();
try {
  stack.connectWebhooks();
  const admin = (path: string, body: unknown) => post<{ id: string; jwt: string }>(`${stack.emulator.url}${path}`, body);
  const grace = await admin('/admin/users', { first_name: 'Grace', last_name: 'Hopper', email_address: 'grace@example.test' });
  const ada = await admin('/admin/users', { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.test' });
  const asUser = async (userId: string) => (await admin('/admin/sessions', { user_id: userId, azp: stack.siteUrl })).jwt;
  const api = (procedure: string, token: string, input?: unknown) => post<unknown>(`${stack.api.url}/trpc/${procedure}`, input ?? {}, token);

  // Wait for both users' webhooks, then write what the team expects of each other.
  const graceToken = await asUser(grace.id);
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(`${stack.api.url}/trpc/users.ensureExists`, { headers: { authorization: `Bearer ${graceToken}` } });
    if (response.ok) break;
    if (attempt > 100) throw new Error('the user.created webhooks did not arrive');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const adaToken = await asUser(ada.id);
  await api('expectations.create', adaToken, { title: 'Write the onboarding guide for new support hires', dueOn: '2020-01-31' });
  await api('expectations.create', graceToken, { title: 'Review the Q3 pricing proposal', details: 'Comments in the doc.', dueOn: '2031-06-30' });

  const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  await page.goto(`${stack.siteUrl}/sign-in`);
  await page.locator('input[name=identifier]').fill('grace@example.test');
  await page.locator('.cl-formButtonPrimary').click();
  await page.locator('input[autocomplete="one-time-code"]').pressSequentially(EMAIL_CODE, { delay: 30 });
  await page.getByRole('link', { name: 'Review the Q3 pricing proposal' }).waitFor({ timeout: 20_000 });
  await page.locator('.cl-userButtonTrigger').click();
  await page.locator('.cl-userButtonPopoverCard').waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  await stack.stop();
}
