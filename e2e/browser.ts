import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** In CI the browser suite is required; elsewhere it is skipped when Chromium is not installed. */
export const browserAvailable = existsSync(CHROMIUM);
if (process.env.CI === 'true' && !browserAvailable) {
  throw new Error(`CI=true requires Chromium at ${CHROMIUM}: the browser suite may not be skipped.`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
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

/** Signs up through the form, as a person would; lands on the welcome page. */
export async function signUp(page: Page, base: string, username: string) {
  await page.goto(`${base}/signup`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(`${username} password`);
  await page.getByLabel('Password again').fill(`${username} password`);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${base}/welcome`);
}

/** Logs in through the form (the password is always `NAME password` here); lands on the home page. */
export async function logIn(page: Page, base: string, username: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(`${username} password`);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${base}/`);
}
