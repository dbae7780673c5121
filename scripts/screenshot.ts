// Renders the README's screenshots: the fixture story imported and opened in the chapter reader, the
// story page, the editor's preview, the phone header, comments, notifications, the library, the
// moderation queue, and search and wrangling over a generated archive. Run with `npm run screenshot`; needs
// Debian's chromium.
import { join } from 'node:path';
import { launchBrowser } from '../e2e/browser.ts';
import { startArchive } from '../e2e/server.ts';
import { storyPath } from '../src/kernel/web/paths.ts';
import { signUp } from '../src/modules/accounts/accounts.service.ts';
import { addComment } from '../src/modules/comments/comments.service.ts';
import { generate } from '../src/modules/generate/generate.ts';
import { importStoryPage } from '../src/modules/import/import.service.ts';
import { storyPageFixture } from '../test/fixtures.ts';

const DOCS = join(import.meta.dirname, '..', 'docs');
const archive = await startArchive();
const browser = await launchBrowser();
try {
  const author = await signUp(archive.ctx, { username: 'Enthereta', display_name: 'Enthereta Buzzpone', password: 'screenshot password' });
  const story = await importStoryPage(archive.ctx, author.id, storyPageFixture(), { title: 'Goodbye', publish: true });
  // The page names no rating; this one is for everyone.
  await archive.ctx.db.updateTable('stories').set({ rating: 'everyone', status: 'complete' }).where('id', '=', story.id).execute();
  for (const [name, colorScheme, width, height] of [
    ['reader', 'light', 1200, 900],
    ['reader-dark', 'dark', 1200, 900],
    ['reader-phone', 'light', 390, 844],
  ] as const) {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme });
    await page.goto(`${archive.url}${storyPath(story)}`);
    if (name === 'reader') await page.screenshot({ path: join(DOCS, 'story-page.png') });
    await page.getByRole('link', { name: 'Start reading' }).click();
    await page.screenshot({ path: join(DOCS, `${name}.png`) });
    await page.close();
  }

  // The author's side: the editor with a preview, and the phone header with its menu open.
  const context = await browser.newContext({ viewport: { width: 1000, height: 1100 } });
  const page = await context.newPage();
  await page.goto(`${archive.url}/login`);
  await page.getByLabel('Username').fill('Enthereta');
  await page.getByLabel('Password').fill('screenshot password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.goto(`${archive.url}${storyPath(story)}/chapters/new`);
  await page.getByLabel('Chapter title').fill('The Letter');
  await page
    .getByLabel('Chapter text')
    .fill('She opened the letter by the *window*.\n\n![the letter](https://example.org/letter.png)\n\n"Come home," it said.');
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.locator('#preview').waitFor();
  await page.waitForTimeout(800); // the smooth scroll to the preview
  await page.screenshot({ path: join(DOCS, 'editor-preview.png') });
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(`${archive.url}${storyPath(story)}`);
  await page.locator('.nav-menu summary').click();
  await page.screenshot({ path: join(DOCS, 'phone-menu.png') });
  // A conversation under the first chapter: a comment, a reply from the author.
  const reader = await signUp(archive.ctx, { username: 'Wren', display_name: 'Ada Wren', password: 'screenshot password' });
  const firstChapter = await archive.ctx.db
    .selectFrom('chapters')
    .select(['id', 'title'])
    .where('story_id', '=', story.id)
    .orderBy('position')
    .executeTakeFirstOrThrow();
  const readerView = { id: reader.id, username: reader.username, displayName: reader.display_name, role: reader.role };
  const authorView = { id: author.id, username: author.username, displayName: author.display_name, role: author.role };
  const said = await addComment(archive.ctx, readerView, story.id, firstChapter.id, {
    body: 'The lighthouse scene made me cry. *Please* write more about Spike and the canal.',
    format: 'markdown',
    parent_id: null,
  });
  await addComment(archive.ctx, authorView, story.id, firstChapter.id, {
    body: 'Thank you! Chapter two is on its way.',
    format: 'markdown',
    parent_id: said,
  });
  await page.setViewportSize({ width: 900, height: 800 });
  await page.goto(`${archive.url}/comments/${said}`);
  await page.screenshot({ path: join(DOCS, 'comments.png') });
  // The author hears of it; the reader's library keeps their place; a report waits for moderators.
  await page.goto(`${archive.url}/notifications`);
  await page.screenshot({ path: join(DOCS, 'notifications.png') });
  const readerPage = await (await browser.newContext({ viewport: { width: 900, height: 800 } })).newPage();
  await readerPage.goto(`${archive.url}/login`);
  await readerPage.getByLabel('Username').fill('Wren');
  await readerPage.getByLabel('Password').fill('screenshot password');
  await readerPage.getByRole('button', { name: 'Log in' }).click();
  await readerPage.goto(`${archive.url}${storyPath(story)}/chapters/${firstChapter.id}`);
  await archive.ctx.db.updateTable('reading_progress').set({ position: 420 }).execute();
  await readerPage.goto(`${archive.url}/library`);
  await readerPage.screenshot({ path: join(DOCS, 'library.png') });
  await readerPage.goto(`${archive.url}/report?kind=story&id=${story.id}`);
  await readerPage.getByLabel('What is wrong with it?').fill('The summary gives away the ending; it needs a spoiler warning.');
  await readerPage.getByRole('button', { name: 'Send the report' }).click();
  await page.goto(`${archive.url}/moderation`);
  await page.screenshot({ path: join(DOCS, 'moderation.png') });

  // Discovery: a generated archive searched, filters open, and the wrangling queue.
  await generate(archive.ctx, { stories: 300, seed: 3 });
  await page.setViewportSize({ width: 1200, height: 1000 });
  await page.goto(`${archive.url}/search?q=${encodeURIComponent('"silver lantern" OR house')}`);
  await page.screenshot({ path: join(DOCS, 'search.png') });
  await page.goto(`${archive.url}/wrangling?type=freeform`);
  await page.screenshot({ path: join(DOCS, 'wrangling.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${archive.url}/search?q=house`);
  await page.screenshot({ path: join(DOCS, 'search-phone.png') });
  await context.close();
  console.log(`Screenshots written to ${DOCS}`);
} finally {
  await browser.close();
  await archive.stop();
}
