import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const artifactsDir = new URL('../../../test-artifacts/', import.meta.url).pathname;

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A response status that a page may log as failed, for requests whose path matches. */
interface ExpectedFailure {
  status: number;
  path: RegExp;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught exceptions, and requests to any host but this machine. */
  problems: string[];
  /** Every request the page sent to this machine, as method and URL. */
  requests: string[];
  /**
   * Lets Chromium's own "Failed to load resource" line through for requests made to fail on
   * purpose, until the returned function is called.
   */
  expectFailedRequest(status: number, path: RegExp): () => void;
  screenshot(name: string): Promise<void>;
}

/**
 * A browser context whose every request to a host other than this machine is aborted and
 * recorded as a problem, and whose console errors are problems too. Chromium logs every failed
 * response on the console; while a new account waits for its webhook, `users.ensureExists`
 * answers 412 by design, and that one is always expected, also in the batch that asks for the
 * feed's first page with it.
 */
export async function openWatchedPage(browser: Browser, viewport: { width: number; height: number }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/London' });
  const problems: string[] = [];
  const requests: string[] = [];
  const expected: ExpectedFailure[] = [{ status: 412, path: /^\/trpc\/(users\.ensureExists|expectations\.list,users\.ensureExists)$/ }];

  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || LOCAL_HOSTS.has(url.hostname)) {
      requests.push(`${route.request().method()} ${url.href}`);
      await route.continue();
      return;
    }
    problems.push(`request to a host other than this machine: ${route.request().method()} ${url.href}`);
    await route.abort('blockedbyclient');
  });

  const isExpected = (message: ConsoleMessage) => {
    const url = new URL(message.location().url || 'about:blank');
    const status = /status of (\d{3})/.exec(message.text())?.[1];
    return status !== undefined && expected.some((failure) => failure.status === Number(status) && failure.path.test(url.pathname));
  };

  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && !isExpected(message)) {
      problems.push(`console error on ${page.url()}: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception on ${page.url()}: ${error.message}`));
  mkdirSync(artifactsDir, { recursive: true });
  return {
    page,
    context,
    problems,
    requests,
    expectFailedRequest: (status, path) => {
      const failure = { status, path };
      expected.push(failure);
      return () => {
        expected.splice(expected.indexOf(failure), 1);
      };
    },
    screenshot: async (name) => {
      await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
    },
  };
}
