import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../test/agent.ts';
import { createHarness, dialects, type Harness } from '../../../test/harness.ts';
import { bombPng, photoWithExif } from '../../../test/images.ts';
import { addChapter, createStory, storyFields } from '../../../test/stories.helpers.ts';

describe.each(dialects)('stories on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  let stranger: Agent;
  let admin: Agent;
  beforeAll(async () => {
    h = await createHarness(dialect);
    author = await h.login('author');
    stranger = await h.login('stranger');
    admin = await h.login('boss', 'admin');
  });
  afterAll(() => h.close());

  const storyCount = async () => (await h.ctx.db.selectFrom('stories').select('id').execute()).length;

  it('an author creates a story with a cover and credit; the cover is re-encoded without metadata', async () => {
    const id = await createStory(author, {
      ...storyFields({ title: 'Goodbye', cover_artist_name: 'erosplosion' }),
      cover_artist_url: 'http://erosplosion.deviantart.com',
      cover_source_url: 'http://erosplosion.deviantart.com/art/Goodbye-395005722',
      cover: { filename: 'cover.txt', contentType: 'text/plain', bytes: await photoWithExif(3000, 4500) },
    });
    const story = await h.ctx.db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(story.cover_key).toMatch(/^[0-9a-f]{24}$/);
    expect(story.published_at).toBeNull();

    const page = await author.get(`/stories/${id}`);
    expect(page.body).toContain('<h1>Goodbye</h1>');
    expect(page.body).toContain('href="http://erosplosion.deviantart.com/"');
    expect(page.body).toContain('href="http://erosplosion.deviantart.com/art/Goodbye-395005722"');
    expect(page.body).toContain('>erosplosion</a>');

    const cover = await author.get(`/media/covers/${story.cover_key}.webp`);
    expect(cover.statusCode).toBe(200);
    expect(cover.headers['content-type']).toBe('image/webp');
    const meta = await sharp(cover.rawPayload).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.exif).toBeUndefined();
    expect(cover.rawPayload.includes('SecretCam')).toBe(false);
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(1800);
    expect([meta.width, meta.height]).toEqual([story.cover_width, story.cover_height]);
    const thumb = await author.get(`/media/covers/${story.cover_key}-thumb.webp`);
    expect((await sharp(thumb.rawPayload).metadata()).width).toBeLessThanOrEqual(240);
  });

  it('a story with no published chapter is a draft: invisible to others, listed for its author', async () => {
    const id = await createStory(author, { title: 'Secret Draft' });
    expect((await stranger.get(`/stories/${id}`)).statusCode).toBe(404);
    expect((await h.agent().get(`/stories/${id}`)).statusCode).toBe(404);
    expect((await author.get('/users/author')).body).toContain('Secret Draft');
    expect((await stranger.get('/users/author')).body).not.toContain('Secret Draft');
    expect((await h.agent().get('/')).body).not.toContain('Secret Draft');
  });

  it('publishing a chapter publishes the story on the home page with its counts and tags', async () => {
    const id = await createStory(author, { title: 'Now Public', tags: 'Hurt/Comfort, friendship, Friendship' });
    await addChapter(author, id, { body: 'One two three four five.' });
    const home = await h.agent().get('/');
    expect(home.body).toContain('Now Public');
    const page = await h.agent().get(`/stories/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('5 words');
    expect(page.body).toContain('1 chapter');
    expect(page.body).toContain('Hurt/Comfort');
    expect(page.body.match(/class="tag tag-freeform"/g)).toHaveLength(2);
  });

  it('only the author may edit or delete; strangers get 403 and nothing changes', async () => {
    const id = await createStory(author, { title: 'Mine Alone' });
    await addChapter(author, id);
    expect((await stranger.get(`/stories/${id}/edit`)).statusCode).toBe(403);
    const edit = await stranger.submit(`/stories/${id}`, `/stories/${id}`, storyFields({ title: 'Stolen' }), { multipart: true });
    expect(edit.statusCode).toBe(403);
    const del = await stranger.submit(`/stories/${id}`, `/stories/${id}/delete`, {});
    expect(del.statusCode).toBe(403);
    const story = await h.ctx.db.selectFrom('stories').select('title').where('id', '=', id).executeTakeFirstOrThrow();
    expect(story.title).toBe('Mine Alone');
  });

  it('an admin may edit anyone’s story', async () => {
    const id = await createStory(author, { title: 'Needs Moderation' });
    const response = await admin.submit(`/stories/${id}/edit`, `/stories/${id}`, storyFields({ title: 'Moderated', rating: 'teen' }));
    expect(response.statusCode).toBe(303);
    const story = await h.ctx.db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([story.title, story.rating, story.author_id]).toEqual(['Moderated', 'teen', story.author_id]);
  });

  it('editing keeps the typed values on error and the story unchanged', async () => {
    const id = await createStory(author, { title: 'Stable' });
    const response = await author.submit(
      `/stories/${id}/edit`,
      `/stories/${id}`,
      storyFields({ title: '', summary: 'Kept summary', rating: 'nonsense' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Give your story a title.');
    expect(response.body).toContain('Choose a rating:');
    expect(response.body).toContain('Kept summary');
    const story = await h.ctx.db.selectFrom('stories').select('title').where('id', '=', id).executeTakeFirstOrThrow();
    expect(story.title).toBe('Stable');
  });

  it('replacing and removing a cover cleans up the old files', async () => {
    const id = await createStory(author, {
      title: 'Cover Swap',
      cover: { filename: 'a.jpg', contentType: 'image/jpeg', bytes: await photoWithExif() },
    });
    const first = await h.ctx.db.selectFrom('stories').select('cover_key').where('id', '=', id).executeTakeFirstOrThrow();
    await author.submit(`/stories/${id}/edit`, `/stories/${id}`, {
      ...storyFields({ title: 'Cover Swap' }),
      cover: { filename: 'b.jpg', contentType: 'image/jpeg', bytes: await photoWithExif(400, 600) },
    });
    const second = await h.ctx.db.selectFrom('stories').select('cover_key').where('id', '=', id).executeTakeFirstOrThrow();
    expect(second.cover_key).not.toBe(first.cover_key);
    expect((await author.get(`/media/covers/${first.cover_key}.webp`)).statusCode).toBe(404);
    await author.submit(`/stories/${id}/edit`, `/stories/${id}`, storyFields({ title: 'Cover Swap', remove_cover: 'on' }));
    const third = await h.ctx.db.selectFrom('stories').select('cover_key').where('id', '=', id).executeTakeFirstOrThrow();
    expect(third.cover_key).toBeNull();
    expect((await author.get(`/media/covers/${second.cover_key}.webp`)).statusCode).toBe(404);
  });

  it('refuses uploads that are not images, by content, whatever their name; nothing is written', async () => {
    const before = await storyCount();
    const response = await author.submit('/stories/new', '/stories', {
      ...storyFields({ title: 'Fake Cover' }),
      cover: { filename: 'cover.png', contentType: 'image/png', bytes: Buffer.from('<?php echo "not an image"; ?>') },
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('not an image we can read');
    expect(response.body).toContain('value="Fake Cover"');
    expect(await storyCount()).toBe(before);
  });

  it('refuses decompression bombs and oversize files with a clear 4xx', async () => {
    const before = await storyCount();
    const bomb = await author.submit('/stories/new', '/stories', {
      ...storyFields(),
      cover: { filename: 'x.png', contentType: 'image/png', bytes: bombPng() },
    });
    expect(bomb.statusCode).toBe(400);
    expect(bomb.body).toContain('too many pixels');
    const big = await author.submit('/stories/new', '/stories', {
      ...storyFields(),
      cover: { filename: 'x.jpg', contentType: 'image/jpeg', bytes: Buffer.alloc(11 * 1024 * 1024, 1) },
    });
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('at most 10 MB');
    expect(await storyCount()).toBe(before);
  });

  it('deleting a story removes it and its chapters', async () => {
    const id = await createStory(author, { title: 'Short Lived' });
    await addChapter(author, id);
    const confirm = await author.get(`/stories/${id}/delete`);
    expect(confirm.body).toContain('cannot be undone');
    const response = await author.submit(`/stories/${id}/delete`, `/stories/${id}/delete`, {});
    expect(response.statusCode).toBe(303);
    expect((await author.get(`/stories/${id}`)).statusCode).toBe(404);
    expect(await h.ctx.db.selectFrom('chapters').select('id').where('story_id', '=', id).execute()).toEqual([]);
  });

  it('unknown and malformed ids give a real 404 page', async () => {
    for (const url of [
      '/stories/999999',
      '/stories/abc',
      '/stories/1.5',
      '/stories/-1/edit',
      '/nowhere',
      '/media/covers/../../etc/passwd',
    ]) {
      const response = await author.get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toContain('text/html');
    }
    expect((await author.get('/stories/999999')).body).toContain('Story not found.');
  });

  it('limits how fast one account can create stories', async () => {
    const spammer = await h.login('spammer');
    const statuses: number[] = [];
    for (let i = 0; i < 62; i++)
      statuses.push((await spammer.submit('/stories/new', '/stories', storyFields({ title: `Spam ${i}` }))).statusCode);
    expect(statuses.filter((s) => s === 303)).toHaveLength(60);
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });

  it('logged-out visitors are sent to log in before writing', async () => {
    const response = await h.agent().get('/stories/new');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Fstories%2Fnew');
    const post = await h.agent().submit('/signup', '/stories', storyFields(), { multipart: true });
    expect(post.statusCode).toBe(401);
  });
});
