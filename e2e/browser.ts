import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

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
