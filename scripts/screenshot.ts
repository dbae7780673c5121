// Renders the README's screenshots: the fixture story imported and opened in the chapter reader.
// Run with `npm run screenshot`; needs Debian's chromium.
import { join } from 'node:path';
import { launchBrowser } from '../e2e/browser.ts';
import { startArchive } from '../e2e/server.ts';
import { signUp } from '../src/features/accounts/accounts.service.ts';
import { importStoryPage } from '../src/features/import/import.service.ts';
import { storyPageFixture } from '../test/fixtures.ts';

const DOCS = join(import.meta.dirname, '..', 'docs');
const archive = await startArchive();
const browser = await launchBrowser();
try {
  const author = await signUp(archive.ctx, { username: 'Enthereta', display_name: 'Enthereta Buzzpone', password: 'screenshot password' });
  const storyId = await importStoryPage(archive.ctx, author.id, storyPageFixture(), { title: 'Goodbye', publish: true });
  for (const [name, colorScheme, width, height] of [
    ['reader', 'light', 1200, 900],
    ['reader-dark', 'dark', 1200, 900],
    ['reader-phone', 'light', 390, 844],
  ] as const) {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme });
    await page.goto(`${archive.url}/stories/${storyId}`);
    if (name === 'reader') await page.screenshot({ path: join(DOCS, 'story-page.png') });
    await page.getByRole('link', { name: 'Start reading' }).click();
    await page.screenshot({ path: join(DOCS, `${name}.png`) });
    await page.close();
  }
  console.log(`Screenshots written to ${DOCS}`);
} finally {
  await browser.close();
  await archive.stop();
}
