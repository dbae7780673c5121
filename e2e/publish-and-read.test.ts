import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photoWithExif } from '../test/images.ts';
import { browserAvailable, launchBrowser } from './browser.ts';
import { startArchive } from './server.ts';

const OUTPUT = join(import.meta.dirname, 'output');

describe.skipIf(!browserAvailable)('in a real browser', () => {
  let archive: Awaited<ReturnType<typeof startArchive>>;
  let browser: Browser;
  const problems: string[] = [];
  let storyUrl = '';

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    archive = await startArchive();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await archive?.stop();
  });

  /** A fresh browser profile; console errors (CSP violations included) are collected as failures. */
  async function newPage(options: { width?: number; height?: number; dark?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1200, height: options.height ?? 900 },
      colorScheme: options.dark ? 'dark' : 'light',
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    return page;
  }

  async function signUp(page: Page, username: string) {
    await page.goto(`${archive.url}/signup`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(`${username} password`);
    await page.getByLabel('Password again').fill(`${username} password`);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${archive.url}/`);
  }

  async function writeChapter(page: Page, title: string, body: string, notes: { before?: string; after?: string } = {}) {
    await page.getByRole('link', { name: 'Add a chapter' }).click();
    await page.getByLabel('Chapter title').fill(title);
    await page.getByLabel('Format').selectOption('markdown');
    if (notes.before) await page.getByLabel("Author's note before the chapter (optional)").fill(notes.before);
    await page.getByLabel('Chapter text').fill(body);
    if (notes.after) await page.getByLabel("Author's note after the chapter (optional)").fill(notes.after);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\/chapters\/\d+$/);
    await page.getByRole('link', { name: 'The Last Ledge' }).first().click();
  }

  it('an author signs up and writes a two-chapter story with a cover', async () => {
    const page = await newPage();
    await signUp(page, 'enthereta');
    await page.getByRole('link', { name: 'Write' }).click();
    await page.getByLabel('Title').fill('The Last Ledge');
    await page.getByLabel('Summary').fill('Twilight says goodbye to Spike, who keeps a promise.');
    await page.getByLabel('Description', { exact: true }).fill('Twilight never saw Spike again.\n\nBut she knew he kept his promise.');
    await page.getByLabel('Rating').selectOption('everyone');
    await page.getByLabel('Status').selectOption('complete');
    await page.getByLabel('Tags').fill('Friendship, Sad, Twilight Sparkle, Spike');
    const coverFile = join(OUTPUT, 'cover.jpg');
    writeFileSync(coverFile, await photoWithExif(800, 1200));
    await page.getByLabel('Cover image').setInputFiles(coverFile);
    await page.getByLabel("Artist's name").fill('erosplosion');
    await page.getByLabel("Artist's page").fill('http://erosplosion.deviantart.com');
    await page.getByLabel('Original artwork').fill('http://erosplosion.deviantart.com/art/Goodbye-395005722');
    await page.getByRole('button', { name: 'Create story' }).click();
    await page.waitForURL(/\/stories\/\d+$/);
    storyUrl = page.url();

    await writeChapter(
      page,
      'The Morning',
      'On the morning with the cool breeze, he walked downstairs.\n\nI watched him walk out the door.',
      {
        before: 'This one came from a *great* piece of art.',
        after: 'Tell me what you think in the comments!\n\nStay cool,\nEnthereta',
      },
    );
    await writeChapter(page, 'The Ledge', 'It was a ledge peaked at the top of a beautiful canal.\n\n"My number one assistant."');

    expect(await page.locator('.cover img').isVisible()).toBe(true);
    expect(await page.locator('.cover img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(800);
    await page.screenshot({ path: join(OUTPUT, 'story-page.png'), fullPage: true });
    await page.getByRole('button', { name: 'Log out' }).click();
    expect(await page.getByRole('link', { name: 'Log in' }).isVisible()).toBe(true);
  });

  it('another reader finds it on the home page and reads it chapter by chapter', async () => {
    const page = await newPage();
    await signUp(page, 'reader');
    await page.getByRole('link', { name: 'The Last Ledge' }).click();
    expect(page.url()).toBe(storyUrl);
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('The Last Ledge');
    expect(await page.locator('.cover-credit').innerText()).toContain('Cover art by erosplosion');
    expect(await page.locator('.stats').first().innerText()).toContain('2 chapters');
    await page.getByRole('link', { name: 'Start reading' }).click();
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('The Morning');
    expect(await page.locator('.note-before').innerText()).toContain('This one came from a great piece of art.');
    expect(await page.locator('.chapter-text').innerText()).toContain('I watched him walk out the door.');
    expect(await page.locator('.note-after').innerText()).toContain('Stay cool,');
    await page.screenshot({ path: join(OUTPUT, 'reader.png') });
    await page.locator('.chapter-nav-bottom').getByRole('link', { name: 'Next ›' }).click();
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('The Ledge');
    expect((await page.locator('.the-end').innerText()).trim()).toBe('The End');

    // The reader collapses the author's note without any script: <details> does it.
    await page.getByRole('link', { name: '‹ Previous' }).first().click();
    await page.locator('.note-after summary').click();
    expect(await page.locator('.note-after').evaluate((el: HTMLDetailsElement) => el.open)).toBe(false);
  });

  it('reading settings apply without a flash or script, and dark mode follows the device', async () => {
    const page = await newPage({ dark: true });
    await page.goto(storyUrl);
    await page.getByRole('link', { name: 'Start reading' }).click();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(11, 10, 9)');
    await page.locator('.reader-settings summary').click();
    await page.getByLabel('Sepia').check();
    await page.getByLabel('Largest').check();
    await page.getByLabel('Sans-serif').check();
    await page.getByRole('button', { name: 'Apply' }).click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('sepia');
    expect(await background()).toBe('rgb(241, 228, 200)');
    const font = await page
      .locator('.chapter-text p')
      .first()
      .evaluate((p) => getComputedStyle(p).fontFamily);
    expect(font).toContain('system-ui');
    await page.screenshot({ path: join(OUTPUT, 'reader-sepia.png') });
  });

  it('works on a 320 px phone without sideways scrolling', async () => {
    const page = await newPage({ width: 320, height: 640 });
    for (const path of ['/', new URL(storyUrl).pathname, '/signup']) {
      await page.goto(`${archive.url}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBe(0);
    }
    await page.goto(storyUrl);
    await page.getByRole('link', { name: 'Start reading' }).click();
    const next = page.locator('.chapter-nav-bottom a[rel="next"]');
    const box = await next.boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    await page.screenshot({ path: join(OUTPUT, 'reader-phone.png'), fullPage: true });
  });

  it('raised no console errors or CSP violations on any page', () => {
    expect(problems).toEqual([]);
  });
});
