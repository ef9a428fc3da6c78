import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const artifactsDir = new URL('../../../test-artifacts/', import.meta.url).pathname;

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/**
 * Chromium reports every non-2xx response on the console. One is expected, and nothing else:
 * while a new account waits for its webhook, `users.ensureExists` answers 412 by design.
 */
function isExpectedResponseError(message: ConsoleMessage): boolean {
  const url = new URL(message.location().url || 'about:blank');
  return message.text().includes('status of 412') && url.pathname === '/trpc/users.ensureExists';
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far, on any origin the page visited. */
  problems: string[];
  screenshot(name: string): Promise<void>;
}

export async function openWatchedPage(browser: Browser, viewport: { width: number; height: number }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !isExpectedResponseError(message)) {
      problems.push(`console error on ${page.url()}: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception on ${page.url()}: ${error.message}`));
  mkdirSync(artifactsDir, { recursive: true });
  return {
    page,
    context,
    problems,
    screenshot: async (name) => {
      await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
    },
  };
}
