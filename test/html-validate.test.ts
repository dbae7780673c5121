import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, type Harness } from './harness.ts';
import { photoWithExif } from './images.ts';
import { addChapter, chapterFields, createStory, storyFields } from './stories.helpers.ts';

/**
 * html-validate's recommended rules, but for two about spelling that HTML allows either way (preact
 * writes void elements as `<meta />`, we write the doctype in lower case), and with check boxes
 * allowed to share a name as radio buttons are: a group of them is one field sent many times. The
 * pages' markup is the same on both databases, so SQLite alone.
 */
const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    'void-style': 'off',
    'doctype-style': 'off',
    'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
  },
});

describe('every page type is valid HTML', () => {
  let h: Harness;
  let author: Agent;
  let anonymous: Agent;
  const pages: [string, () => Promise<string>][] = [];

  beforeAll(async () => {
    h = await createHarness('sqlite');
    anonymous = h.agent();
    pages.push(['the empty home page', async () => (await anonymous.get('/')).body]);
    author = await h.login('validator', 'admin');
    const cover = { filename: 'cover.jpg', contentType: 'image/jpeg', bytes: await photoWithExif() };
    const storyId = await createStory(author, { ...storyFields({ title: 'Valid Tale', tags: 'One, Two' }), cover });
    const first = await addChapter(author, storyId, { title: 'First', note_before: 'Before *this*.', note_after: 'After.' });
    await addChapter(author, storyId, { title: 'Second' });
    await addChapter(author, storyId, { title: 'Third' });
    const explicit = await createStory(author, { title: 'Late', rating: 'explicit' });
    await addChapter(author, explicit, { title: 'Only' });
    const story = `/stories/${storyId}`;
    const chapter = `${story}/chapters/${first}`;
    const posted = await author.submit(`${chapter}/comments`, `${chapter}/comments`, { body: 'A *first* comment.', format: 'markdown' });
    const comment = /\/comments\/(\d+)$/.exec(String(posted.headers.location))?.[1];
    await author.submit(`${chapter}/comments`, `${chapter}/comments`, { body: 'A reply.', format: 'markdown', parent_id: String(comment) });
    pages.push(
      ['the comments, signed in', async () => (await author.get(`${chapter}/comments`)).body],
      ['the comments', async () => (await anonymous.get(`${chapter}/comments`)).body],
      ['a reply form', async () => (await author.get(`/comments/${comment}/reply`)).body],
      ['editing a comment', async () => (await author.get(`/comments/${comment}/edit`)).body],
      ['a comment history', async () => (await anonymous.get('/users/validator/comments')).body],
      ['the shelves', async () => (await author.get('/shelves')).body],
      ['shelving a story', async () => (await author.get(`${story}/shelve`)).body],
      [
        'a shelf',
        async () => {
          const shelf = await h.ctx.db.selectFrom('shelves').select('id').where('name', '=', 'Read later').executeTakeFirstOrThrow();
          return (await author.get(`/shelves/${shelf.id}`)).body;
        },
      ],
      ['the home page', async () => (await anonymous.get('/')).body],
      ['the home page, signed in', async () => (await author.get('/')).body],
      [
        'the home page, filtered',
        async () => (await anonymous.get('/?include=One&rating=teen&warning=No+Archive+Warnings+Apply&sort=words')).body,
      ],
      ['a story page', async () => (await anonymous.get(story)).body],
      ['a story page, to its author', async () => (await author.get(story)).body],
      ['a chapter', async () => (await anonymous.get(chapter)).body],
      ['a chapter, to its author', async () => (await author.get(chapter)).body],
      ['the adult-content notice', async () => (await anonymous.get(`/stories/${explicit}`)).body],
      ["an author's page", async () => (await anonymous.get('/users/validator')).body],
      ['the tags', async () => (await anonymous.get('/tags')).body],
      [
        'a tag page',
        async () => {
          const tag = await h.ctx.db.selectFrom('tags').select('id').where('name', '=', 'One').executeTakeFirstOrThrow();
          return (await anonymous.get(`/tags/${tag.id}`)).body;
        },
      ],
      ['the mute list', async () => (await author.get('/settings/mutes')).body],
      ['search results', async () => (await anonymous.get('/search?q=cold+morning')).body],
      ['a refused search', async () => (await anonymous.get('/search?q=-only')).body],
      ['search help', async () => (await anonymous.get('/search/help')).body],
      ['saving a search', async () => (await author.get('/searches/new?q=cold')).body],
      ['saved searches', async () => (await author.get('/settings/searches')).body],
      ['the wrangling queue', async () => (await author.get('/wrangling?type=freeform')).body],
      ['the genres', async () => (await author.get('/wrangling/genres')).body],
      [
        'wrangling a tag',
        async () => {
          const tag = await h.ctx.db.selectFrom('tags').select('id').where('name', '=', 'One').executeTakeFirstOrThrow();
          return (await author.get(`/tags/${tag.id}/wrangle`)).body;
        },
      ],
      ['sign up', async () => (await h.agent().get('/signup')).body],
      [
        'sign up with errors',
        async () => (await h.agent().submit('/signup', '/signup', { username: 'x', password: 'a', password_confirmation: 'b' })).body,
      ],
      ['log in', async () => (await h.agent().get('/login')).body],
      ['welcome', async () => (await author.get('/welcome')).body],
      ['account settings', async () => (await author.get('/settings/account')).body],
      ['reading settings', async () => (await anonymous.get('/settings/reading')).body],
      ['a new story', async () => (await author.get('/stories/new')).body],
      [
        'a new story with errors',
        async () => (await author.submit('/stories/new', '/stories', storyFields({ title: '', rating: '' }))).body,
      ],
      ['editing a story', async () => (await author.get(`${story}/edit`)).body],
      ['deleting a story', async () => (await author.get(`${story}/delete`)).body],
      ['a new chapter', async () => (await author.get(`${story}/chapters/new`)).body],
      [
        'a chapter preview',
        async () =>
          (
            await author.submit(
              `${story}/chapters/new`,
              `${story}/chapters`,
              chapterFields({ body: '![x](https://e.org/x.png)', action: 'preview' }),
            )
          ).body,
      ],
      ['editing a chapter', async () => (await author.get(`${chapter}/edit`)).body],
      ['import', async () => (await author.get('/import')).body],
      ['not found', async () => (await anonymous.get('/nowhere')).body],
    );
  });
  afterAll(() => h.close());

  it('reports nothing on any of them', async () => {
    const problems: string[] = [];
    for (const [name, load] of pages) {
      const report = await validator.validateString(await load());
      for (const result of report.results) {
        for (const message of result.messages) problems.push(`${name}: ${message.ruleId} at line ${message.line}: ${message.message}`);
      }
    }
    expect(pages.length).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });
});
