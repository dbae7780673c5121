import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endSession, SESSION_COOKIE } from '../src/modules/accounts/sessions.ts';
import { sweepPendingCovers } from '../src/modules/stories/stories.service.ts';
import type { Agent } from './agent.ts';
import { EXAMPLE_PATH } from './fixtures.ts';
import { createHarness, dialects, type Harness, type testClock } from './harness.ts';
import { photoWithExif } from './images.ts';
import { addChapter, chapterFields, createStory, storyFields } from './stories.helpers.ts';

/** The text of the page's `<main>`, tags dropped, for checking what a reader is told. */
const mainText = (html: string) =>
  (html.split('<main')[1] ?? '')
    .split('</main>')[0]
    ?.replace(/<[^<>]*>/g, ' ')
    .replace(/\s+/g, ' ') ?? '';

describe.each(dialects)('the first five minutes on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect);
  });
  afterAll(() => h.close());

  describe('an empty archive and its first admin', () => {
    it('tells the first visitor to create the admin account, then welcomes the admin with Write and Import', async () => {
      const visitor = h.agent();
      const home = await visitor.get('/');
      expect(mainText(home.body)).toContain('The first account to sign up becomes its admin');
      expect(home.body).toContain('<a class="button primary" href="/signup">Create the admin account</a>');

      const signup = await visitor.get('/signup');
      expect(mainText(signup.body)).not.toMatch(/bookmark/i);
      const response = await visitor.submit('/signup', '/signup', {
        username: 'founder',
        password: 'founder password',
        password_confirmation: 'founder password',
      });
      expect(response.headers.location).toBe('/welcome');
      const welcome = await visitor.get('/welcome');
      expect(mainText(welcome.body)).toContain('You are the admin of this archive');
      expect(welcome.body).toContain('href="/stories/new"');
      expect(welcome.body).toContain('href="/import"');

      // The anonymous home page moves on: someone has signed up, so it no longer offers the admin account.
      expect(mainText((await h.agent().get('/')).body)).toContain('Log in or sign up to write the first story');
      const signedIn = await visitor.get('/');
      expect(signedIn.body).toContain('Write the first story');
      expect(signedIn.body).toContain('Import a story');
    });

    it('welcomes a later account without calling it the admin', async () => {
      const later = await h.login('latecomer');
      const welcome = await later.get('/welcome');
      expect(mainText(welcome.body)).toContain('Your account is ready');
      expect(mainText(welcome.body)).not.toContain('admin');
    });
  });

  describe('forms', () => {
    let author: Agent;
    beforeAll(async () => {
      author = await h.login('writer');
    });

    it('lists every problem as a link to its field, in a summary that takes focus', async () => {
      const response = await author.submit('/stories/new', '/stories', storyFields({ title: '', rating: '' }));
      expect(response.statusCode).toBe(400);
      const summary = /<div class="error-summary" role="alert" tabindex="-1" autofocus>(.*?)<\/div>/.exec(response.body)?.[1] ?? '';
      expect(summary).toContain('2 things need fixing');
      expect(summary).toContain('<a href="#title">Give your story a title.</a>');
      expect(summary).toContain('<a href="#rating-0">Choose a rating');
      expect(response.body).toContain('id="rating-0"');
    });

    it('has no rating chosen until the author chooses, and accepts "Not rated"', async () => {
      const form = await author.get('/stories/new');
      expect(form.body).toMatch(/name="rating" value="not_rated"/);
      expect(form.body).not.toMatch(/name="rating" value="[a-z_]+" checked/);
      const id = await createStory(author, { title: 'Unrated', rating: 'not_rated' });
      const story = await h.ctx.db.selectFrom('stories').select('rating').where('id', '=', id).executeTakeFirstOrThrow();
      expect(story.rating).toBe('not_rated');
    });

    it('keeps the first spelling of a tag typed twice', async () => {
      const id = await createStory(author, { title: 'Spelled', tags: 'Spike, spike, SPIKE, Friendship' });
      const page = await author.get(`/stories/${id}`);
      expect(page.body).toContain('>Spike<');
      expect(page.body).not.toContain('>SPIKE<');
    });

    it('keeps a chosen cover across a failed submit, for its author only, and reports cover and field errors together', async () => {
      const image = { filename: 'cover.jpg', contentType: 'image/jpeg', bytes: await photoWithExif() };
      const failed = await author.submit('/stories/new', '/stories', { ...storyFields({ title: '' }), cover: image });
      expect(failed.statusCode).toBe(400);
      const token = /name="cover_token" value="([^"]+)"/.exec(failed.body)?.[1] ?? '';
      expect(token).not.toBe('');
      expect(mainText(failed.body)).toContain('The image you chose is kept');

      // Someone else replaying the token gets no cover.
      const thief = await h.login('thief');
      const stolen = await createStory(thief, { title: 'Stolen', cover_token: token });
      const stolenRow = await h.ctx.db.selectFrom('stories').select('cover_key').where('id', '=', stolen).executeTakeFirstOrThrow();
      expect(stolenRow.cover_key).toBeNull();

      const id = await createStory(author, { title: 'Covered', cover_token: token });
      const row = await h.ctx.db.selectFrom('stories').select('cover_key').where('id', '=', id).executeTakeFirstOrThrow();
      expect(token.startsWith(row.cover_key ?? 'none')).toBe(true);
      // Used once: a second story cannot take the same image.
      const again = await createStory(author, { title: 'Covered again', cover_token: token });
      const againRow = await h.ctx.db.selectFrom('stories').select('cover_key').where('id', '=', again).executeTakeFirstOrThrow();
      expect(againRow.cover_key).toBeNull();

      // A kept cover whose form is never sent again is swept after a day: its row and its files.
      const abandoned = await author.submit('/stories/new', '/stories', { ...storyFields({ title: '' }), cover: image });
      const key = /name="cover_token" value="([0-9a-f]{24})"/.exec(abandoned.body)?.[1] ?? '';
      expect(await h.ctx.storage.get(`covers/${key}.webp`)).not.toBeNull();
      expect(await sweepPendingCovers(h.ctx)).toBe(0);
      (h.ctx.clock as ReturnType<typeof testClock>).advance(25 * 60 * 60 * 1000);
      expect(await sweepPendingCovers(h.ctx)).toBe(1);
      expect(await h.ctx.storage.get(`covers/${key}.webp`)).toBeNull();
      expect(await h.ctx.storage.get(`covers/${key}-thumb.webp`)).toBeNull();
      expect(await h.ctx.db.selectFrom('pending_covers').select('key').execute()).toEqual([]);

      const notImage = { filename: 'x.jpg', contentType: 'image/jpeg', bytes: Buffer.from('not an image') };
      const both = await author.submit('/stories/new', '/stories', { ...storyFields({ title: '' }), cover: notImage });
      expect(both.body).toContain('<a href="#title">');
      expect(both.body).toContain('<a href="#cover">');
    });

    it('shows the summary and the description on the story page, and the original author of an import', async () => {
      const id = await createStory(author, {
        title: 'Both',
        summary: 'The short one.',
        description: 'The *long* one.',
        original_author: 'Ada Wren',
        source_url: 'https://example.org/s/9',
      });
      await addChapter(author, id);
      const page = await h.agent().get(`/stories/${id}`);
      expect(page.body).toContain('The short one.');
      expect(page.body).toContain('The <em>long</em> one.');
      expect(mainText(page.body)).toContain('by Ada Wren, imported by writer');
      expect(page.body).toContain('href="https://example.org/s/9"');
    });
  });

  describe('the chapter editor', () => {
    let author: Agent;
    let storyId: number;
    beforeAll(async () => {
      author = await h.login('editor');
      storyId = await createStory(author, { title: 'Edited' });
    });

    it('makes Preview the default button, so Enter in a field never publishes', async () => {
      const form = await author.get(`/stories/${storyId}/chapters/new`);
      const buttons = [...form.body.matchAll(/<button type="submit" name="action" value="(\w+)"/g)].map((m) => m[1]);
      expect(buttons).toEqual(['preview', 'draft', 'publish']);
    });

    it('previews on the server without saving, and says what Markdown here does not show', async () => {
      const before = await h.ctx.db.selectFrom('chapters').select('id').execute();
      const response = await author.submit(
        `/stories/${storyId}/chapters/new`,
        `/stories/${storyId}/chapters`,
        chapterFields({ body: 'Some *words* here.\n\n![a map](https://example.org/map.png)\n\n<b>bold?</b>', action: 'preview' }),
      );
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('<section class="preview" id="preview"');
      expect(response.body).toContain('Some <em>words</em> here.');
      expect(response.body).toContain('[Image: a map]');
      expect(mainText(response.body)).toContain('Images are not shown in stories');
      expect(mainText(response.body)).toContain('HTML tags are not supported in Markdown');
      expect(response.body).toContain('<textarea id="body" name="body"');
      expect(await h.ctx.db.selectFrom('chapters').select('id').execute()).toEqual(before);
    });

    it('confirms each save, publish, move and delete once', async () => {
      const publish = await author.submit(`/stories/${storyId}/chapters/new`, `/stories/${storyId}/chapters`, chapterFields());
      const location = String(publish.headers.location);
      const first = await author.get(location);
      expect(first.body).toContain('<p class="flash" role="status">Chapter 1 published.</p>');
      expect((await author.get(location)).body).not.toContain('class="flash"');

      const draft = await author.submit(
        `/stories/${storyId}/chapters/new`,
        `/stories/${storyId}/chapters`,
        chapterFields({ title: 'Second', action: 'draft' }),
      );
      expect((await author.get(String(draft.headers.location))).body).toContain('Chapter 2 saved as a draft.');
      const third = await addChapter(author, storyId, { title: 'Third' });

      // Straight to the front with the position field, past the middle in one step.
      const csrf = await author.csrfFrom(`/stories/${storyId}`);
      const move = await author.post(`/stories/${storyId}/chapters/${third}/move`, { _csrf: csrf, position: '1' });
      expect(move.statusCode).toBe(303);
      expect((await author.get(`/stories/${storyId}`)).body).toContain('“Third” is now chapter 1.');
      const order = await h.ctx.db.selectFrom('chapters').select('title').where('story_id', '=', storyId).orderBy('position').execute();
      expect(order.map((c) => c.title)).toEqual(['Third', 'Chapter One', 'Second']);

      const remove = await author.post(`/stories/${storyId}/chapters/${third}/delete`, { _csrf: csrf });
      expect(remove.statusCode).toBe(303);
      expect((await author.get(`/stories/${storyId}`)).body).toContain('Chapter “Third” deleted.');
    });

    it('after the session expired, shows the form again with the text, a fresh token and one line of explanation', async () => {
      const csrf = await author.csrfFrom(`/stories/${storyId}/chapters/new`);
      const body = 'A long evening of writing that must not be lost.';
      // The session ends (expired, or logged out elsewhere) while the form is open.
      await endSession(h.ctx, author.cookies.get(SESSION_COOKIE));
      const response = await author.post(`/stories/${storyId}/chapters`, { _csrf: csrf, ...chapterFields({ body }) });
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain(body);
      expect(mainText(response.body)).toContain('Your session expired, so nothing was saved yet.');
      expect(response.body).not.toContain('Not yours to change');
      const fresh = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
      expect(fresh).toBeTruthy();
      expect(author.cookies.get(SESSION_COOKIE)).toBeDefined();
    });
  });

  describe('addresses, sharing and compression', () => {
    let author: Agent;
    let storyId: number;
    let chapterId: number;
    beforeAll(async () => {
      author = await h.login('addresser');
      storyId = await createStory(author, { title: 'Goodbye, Old Friend', summary: 'A farewell.' });
      chapterId = await addChapter(author, storyId, { title: 'The Letter' });
    });

    it('puts the slug after the id and moves every other spelling there for good', async () => {
      const canonical = `/stories/${storyId}-goodbye-old-friend`;
      for (const old of [`/stories/${storyId}`, `/stories/${storyId}-wrong-slug`, `/stories/${storyId}?x=1`]) {
        const response = await h.app.inject({ url: old });
        expect(response.statusCode, old).toBe(301);
        expect(response.headers.location).toBe(old.endsWith('?x=1') ? `${canonical}?x=1` : canonical);
      }
      const chapter = await h.app.inject({ url: `/stories/${storyId}/chapters/${chapterId}` });
      expect(chapter.statusCode).toBe(301);
      expect(chapter.headers.location).toBe(`${canonical}/chapters/${chapterId}-the-letter`);
      expect((await h.app.inject({ url: canonical })).statusCode).toBe(200);
      // A renamed story's old address follows it.
      await author.submit(`/stories/${storyId}/edit`, `/stories/${storyId}`, storyFields({ title: 'Farewell' }));
      expect((await h.app.inject({ url: canonical })).headers.location).toBe(`/stories/${storyId}-farewell`);
    });

    it('carries OpenGraph and Twitter card tags, and absolute addresses only from PUBLIC_URL', async () => {
      const page = (await h.agent().get(`/stories/${storyId}`)).body;
      expect(page).not.toContain('rel="canonical"');
      expect(page).not.toContain('og:url');
      expect(page).toContain('<meta property="og:title" content="Farewell"/>');
      expect(page).toContain('<meta property="og:description" content="A dragon leaves home."/>');
      expect(page).toContain('<meta property="og:type" content="article"/>');
      expect(page).toContain('<meta name="twitter:card" content="summary"/>');
      // The Host a client sends is not believed.
      expect((await h.agent().get(`/stories/${storyId}`, { host: 'evil.example' })).body).not.toContain('evil.example');

      const public_ = await createHarness(dialect, undefined, { PUBLIC_URL: 'https://stories.example.org/' });
      try {
        const writer = await public_.login('sharer');
        const id = await createStory(writer, {
          title: 'Shared',
          cover: { filename: 'c.jpg', contentType: 'image/jpeg', bytes: await photoWithExif() },
        });
        await addChapter(writer, id);
        const shared = (await public_.agent().get(`/stories/${id}`)).body;
        expect(shared).toContain(`<link rel="canonical" href="https://stories.example.org/stories/${id}-shared"/>`);
        expect(shared).toContain(`<meta property="og:url" content="https://stories.example.org/stories/${id}-shared"/>`);
        expect(shared).toMatch(/<meta property="og:image" content="https:\/\/stories\.example\.org\/media\/covers\/[0-9a-f]{24}\.webp"\/>/);
        expect(shared).toContain('<meta name="twitter:card" content="summary_large_image"/>');
      } finally {
        await public_.close();
      }
    });

    it('compresses pages and static files with Brotli or gzip, static ones made once', async () => {
      const story = `/stories/${storyId}-farewell`;
      const br = await h.app.inject({ url: story, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.headers['content-encoding']).toBe('br');
      const signedIn = await author.get(story, { 'accept-encoding': 'gzip' });
      expect(signedIn.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(signedIn.rawPayload).toString()).toContain('<h1>Farewell</h1>');
      const plain = (await h.app.inject({ url: story })).body;
      const css = /href="(\/static\/oak\.css\?v=[0-9a-f]{12})"/.exec(plain)?.[1] ?? 'missing';
      const first = await h.app.inject({ url: css, headers: { 'accept-encoding': 'br' } });
      const again = await h.app.inject({ url: css, headers: { 'accept-encoding': 'br' } });
      expect(first.headers['content-encoding']).toBe('br');
      expect(first.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(first.rawPayload.equals(again.rawPayload)).toBe(true);
      expect(brotliDecompressSync(first.rawPayload).toString()).toContain('--accent');
      expect((await h.app.inject({ url: '/static/nothing.css' })).statusCode).toBe(404);
    });

    it('asks visitors without an account before an adult story, remembers it for the session, and never asks the signed-in', async () => {
      const id = await createStory(author, { title: 'Night Garden', rating: 'mature' });
      await addChapter(author, id, { title: 'Dusk' });
      const visitor = h.agent();
      const notice = await visitor.get(`/stories/${id}`);
      expect(notice.body).toContain('<h1>This story may contain adult content</h1>');
      expect(notice.body).not.toContain('Dusk');
      const proceed = await visitor.get(`/adult-content?return=${encodeURIComponent(`/stories/${id}-night-garden`)}`);
      expect(proceed.statusCode).toBe(303);
      expect(proceed.headers.location).toBe(`/stories/${id}-night-garden`);
      expect(String(proceed.headers['set-cookie'])).not.toMatch(/Max-Age|Expires/i);
      expect((await visitor.get(`/stories/${id}`)).body).toContain('Dusk');
      // The notice, cached for anonymous readers, is never handed to a signed-in one.
      expect((await (await h.login('grownup')).get(`/stories/${id}`)).body).toContain('Dusk');
      expect((await h.agent().get(`/stories/${id}`)).body).toContain('This story may contain adult content');
      expect((await h.agent().get('/')).body).toMatch(/class="badge rating-mature adult"/);
    });
  });

  describe('imports', () => {
    it('credits the author who signed the page, and offers no "Start reading" on a draft', async () => {
      const importer = await h.login('archivist');
      const bytes = readFileSync(EXAMPLE_PATH);
      const response = await importer.submit('/import', '/import', {
        title: 'The Lantern Keeper',
        file: { filename: 'the-lantern-keeper.txt', contentType: 'text/plain', bytes },
      });
      expect(response.statusCode).toBe(303);
      const page = await importer.get(String(response.headers.location));
      expect(mainText(page.body)).toContain('by Ada Wren, imported by archivist');
      expect(page.body).toContain('<p class="flash" role="status">Imported as a draft.');
      expect(page.body).not.toContain('Start reading');
    });
  });
});
