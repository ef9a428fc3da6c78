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

/** Opens `<OrganizationSwitcher/>`'s menu. */
export async function openSwitcher(page: Page): Promise<void> {
  await page.locator('.cl-organizationSwitcherTrigger').click();
  await page.locator('.cl-organizationSwitcherPopoverCard').waitFor();
}

/** The SPA shows `team`'s feed: the switcher names it, and the personal notice is gone. */
export async function inTeamFeed(page: Page, team: string): Promise<void> {
  await expect.poll(() => page.locator('.cl-organizationSwitcherTrigger').textContent(), { timeout: 10_000 }).toContain(team);
  await page.getByRole('heading', { name: 'Expectations', exact: true }).waitFor();
  await page.getByText('Your personal expectations').waitFor({ state: 'hidden' });
}

/** Picks `team` in `<OrganizationSwitcher/>`; the SPA lands on that team's feed. */
export async function switchTeam(page: Page, team: string): Promise<void> {
  await openSwitcher(page);
  await page.locator('.cl-organizationSwitcherPreviewButton', { hasText: team }).click();
  await page.locator('.cl-organizationSwitcherPopoverCard').waitFor({ state: 'hidden' });
  await inTeamFeed(page, team);
}

/** Signs in with `<SignIn/>`, by email address and password; the SPA then shows the feed. */
export async function signInWithPassword(page: Page, siteUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${siteUrl}/sign-in`);
  await page.locator('input[name=identifier]').fill(email);
  await page.locator('.cl-formButtonPrimary').click();
  await page.waitForURL(/\/sign-in\/factor-one/);
  await page.locator('input[name=password]').fill(password);
  await page.locator('.cl-formButtonPrimary').click();
}

/**
 * Changes the first name in `<UserProfile/>`'s profile section, on the account page. Clerk opens
 * and closes that section's form with an animation and fills it from the user as it opens: a name
 * typed too early is put back, leaving Save disabled (the form unchanged), and a click then does
 * nothing. So the name is typed until the form has taken it, which enables Save.
 */
export async function changeFirstNameInUserProfile(page: Page, firstName: string, fullName: string): Promise<void> {
  const section = page.locator('.cl-profileSection__profile');
  const updateProfile = section.locator('button').first();
  const field = page.locator('input[name=firstName]');
  const save = page.getByRole('button', { name: 'Save' });
  await field.or(updateProfile).first().waitFor();
  if (!(await field.isVisible())) await updateProfile.click();
  await expect
    .poll(async () => {
      if ((await field.inputValue()) !== firstName) await field.fill(firstName);
      return save.isEnabled();
    }, { timeout: 10_000 })
    .toBe(true);
  // A click that lands while the form is still settling does nothing and leaves Save enabled (seen
  // once beside two busy loops): the person would click again, and so does this, until Clerk shows
  // the saved name. Saving the same name twice changes nothing.
  const shown = section.getByText(fullName);
  await expect
    .poll(async () => {
      if (await shown.isVisible()) return true;
      if ((await save.isVisible()) && (await save.isEnabled())) await save.click({ timeout: 2_000 }).catch(() => undefined);
      return false;
    }, { timeout: 20_000, interval: 500 })
    .toBe(true);
}
