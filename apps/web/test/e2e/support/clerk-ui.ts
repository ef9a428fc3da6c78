import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Types a one-time code into Clerk's code field (it submits by itself once complete). */
export async function enterCode(page: Page, code: string): Promise<void> {
  const field = page.locator('input[autocomplete="one-time-code"]').first();
  await field.waitFor();
  // After a wrong code Clerk empties the field itself, a moment later: wait for that.
  await expect.poll(() => field.inputValue(), { timeout: 10_000 }).toBe('');
  await field.pressSequentially(code, { delay: 30 });
}
