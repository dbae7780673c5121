import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, type Smtp, startSmtp } from '../test/smtp.ts';
import { browserAvailable, launchBrowser, logIn, signUp } from './browser.ts';
import { startArchive } from './server.ts';

const OUTPUT = join(import.meta.dirname, 'output');

/** Waits for something the job queue does in the background (it polls every 100 ms here). */
async function eventually<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() - start > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!browserAvailable)('the community in a real browser', () => {
  let archive: Awaited<ReturnType<typeof startArchive>>;
  let smtp: Smtp;
  let browser: Browser;
  let chapterUrl = '';

  beforeAll(async () => {
    smtp = await startSmtp();
    archive = await startArchive({ SMTP_URL: smtp.url });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await archive?.stop();
    await smtp?.close();
  });

  async function newPage(viewport = { width: 1100, height: 800 }) {
    const page = await (await browser.newContext({ viewport })).newPage();
    // A step that cannot happen fails in seconds, naming itself, instead of timing the whole test out.
    page.setDefaultTimeout(5000);
    return page;
  }

  it('one account comments; the author sees the notification in the header and gets the e-mail', async () => {
    const author = await newPage();
    await signUp(author, archive.url, 'storyteller');
    // A verified address, and comments by mail at once.
    await author.goto(`${archive.url}/settings/account`);
    await author.getByLabel('E-mail address').fill('storyteller@example.org');
    await author.getByRole('button', { name: /Save address/ }).click();
    const verification = await eventually(
      () => smtp.to('storyteller@example.org'),
      (mail) => mail.length > 0,
    );
    await author.goto(`${archive.url}${linkIn(verification[0], '/settings/email/verify')}`);
    expect(await author.locator('.flash').innerText()).toBe('Your e-mail address is verified.');
    await author.goto(`${archive.url}/settings/notifications`);
    await author.getByRole('group', { name: 'A comment on your story' }).getByLabel('On the site and by e-mail').check();
    await author.getByRole('button', { name: 'Save' }).click();
    // A story with a long first chapter.
    await author.getByRole('link', { name: 'Write' }).first().click();
    await author.getByLabel('Title').fill('Lanterns');
    await author.getByRole('radio', { name: 'Everyone' }).check();
    await author.getByRole('checkbox', { name: 'No Archive Warnings Apply' }).check();
    await author.getByRole('button', { name: 'Create story' }).click();
    await author.getByRole('link', { name: 'Add a chapter' }).click();
    const paragraphs = Array.from(
      { length: 120 },
      (_, i) => `Paragraph ${i + 1}: the lanterns went out one by one along the harbour wall.`,
    );
    await author.getByLabel('Chapter text').fill(paragraphs.join('\n\n'));
    await author.getByRole('button', { name: 'Publish' }).click();
    await author.waitForURL(/\/chapters\/\d+-[a-z0-9-]+$/);
    chapterUrl = author.url();

    const reader = await newPage();
    await signUp(reader, archive.url, 'lamplighter');
    await reader.goto(chapterUrl);
    await reader
      .getByRole('link', { name: /comment/i })
      .first()
      .click();
    await reader.getByLabel('Add a comment').fill('The **harbour** scene stayed with me.');
    await reader.getByRole('button', { name: 'Post comment' }).click();

    await author.goto(`${archive.url}/`);
    expect(
      await author
        .getByRole('link', { name: /Notifications \(1\)/ })
        .first()
        .isVisible(),
    ).toBe(true);
    await author
      .getByRole('link', { name: /Notifications \(1\)/ })
      .first()
      .click();
    const item = author.getByRole('link', { name: 'lamplighter commented on Chapter 1 of “Lanterns”.' });
    expect(await item.isVisible()).toBe(true);
    const mail = await eventually(
      () => smtp.to('storyteller@example.org').filter((m) => m.subject.includes('commented')),
      (found) => found.length > 0,
    );
    expect(mail[0]?.subject).toBe('lamplighter commented on Chapter 1 of “Lanterns”.');
    await item.click();
    expect(await author.locator('.comment-body').first().innerText()).toContain('The harbour scene stayed with me.');
    await author.screenshot({ path: join(OUTPUT, 'comment-notification.png') });
  });

  it('restores the reading position in a second browser, as on another device', async () => {
    const laptop = await newPage({ width: 1000, height: 700 });
    await logIn(laptop, archive.url, 'lamplighter');
    await laptop.goto(chapterUrl);
    // Read about half way down, then leave: the place is sent as the page is hidden.
    await laptop.evaluate(() => {
      const text = document.querySelector('.chapter-text') as HTMLElement;
      const box = text.getBoundingClientRect();
      scrollTo({ top: scrollY + box.top + box.height * 0.5 - innerHeight, behavior: 'instant' });
    });
    const saved = laptop.waitForResponse((response) => response.url().endsWith('/progress') && response.status() === 204);
    await laptop.evaluate(() => dispatchEvent(new Event('scroll')));
    await saved;
    await laptop.close();

    const phone = await newPage({ width: 390, height: 800 });
    await logIn(phone, archive.url, 'lamplighter');
    expect(await phone.locator('.continue-reading').innerText()).toMatch(/Lanterns · Continue: chapter 1, (49|50|51)%/);
    await phone.locator('.continue-reading .continue-link').click();
    await phone.waitForFunction(() => scrollY > 100);
    const fraction = await phone.evaluate(() => {
      const text = document.querySelector('.chapter-text') as HTMLElement;
      const box = text.getBoundingClientRect();
      return (innerHeight - box.top) / box.height;
    });
    expect(fraction).toBeGreaterThan(0.45);
    expect(fraction).toBeLessThan(0.55);
    await phone.screenshot({ path: join(OUTPUT, 'continue-phone.png') });
  });
});
