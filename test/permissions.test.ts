import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/kernel/db/schema.ts';
import type { Agent, FormFields } from './agent.ts';
import { createHarness, dialects, type Harness } from './harness.ts';
import { addChapter, chapterFields, createStory, storyFields } from './stories.helpers.ts';

/** Who asks: nobody, the story's author, an admin, and three kinds of someone else. */
const ROLES = ['anonymous', 'owner', 'admin', 'reader', 'other author', 'moderator'] as const;
type Who = (typeof ROLES)[number];
/** Expected status for the author and admins (`editor`), everyone else signed in (`other`), and `anonymous`. */
type Expect = { editor: number; other: number; anonymous: number };

type Place = { published: number; draft: number; chapter: number; draftChapter: number };
type Request = {
  method: 'GET' | 'POST';
  path: (p: Place) => string;
  fields?: FormFields | ((who: Who) => FormFields);
  multipart?: boolean;
  expect: Expect;
};

const page = (editor: number, other: number, anonymous = 303): Expect => ({ editor, other, anonymous });
const write = (editor: number, other: number): Expect => ({ editor, other, anonymous: 401 });

/** Every route, in an order where the destructive ones come last. */
const MATRIX: [string, Request][] = [
  ['home', { method: 'GET', path: () => '/', expect: page(200, 200, 200) }],
  ["the author's page", { method: 'GET', path: () => '/users/owner', expect: page(200, 200, 200) }],
  ['a published story', { method: 'GET', path: (p) => `/stories/${p.published}`, expect: page(200, 200, 200) }],
  ['a draft story', { method: 'GET', path: (p) => `/stories/${p.draft}`, expect: page(200, 404, 404) }],
  ['a published chapter', { method: 'GET', path: (p) => `/stories/${p.published}/chapters/${p.chapter}`, expect: page(200, 200, 200) }],
  ['a draft chapter', { method: 'GET', path: (p) => `/stories/${p.published}/chapters/${p.draftChapter}`, expect: page(200, 404, 404) }],
  ['the story editor', { method: 'GET', path: (p) => `/stories/${p.published}/edit`, expect: page(200, 403) }],
  ["a draft's editor", { method: 'GET', path: (p) => `/stories/${p.draft}/edit`, expect: page(200, 404) }],
  ['the delete question', { method: 'GET', path: (p) => `/stories/${p.published}/delete`, expect: page(200, 403) }],
  ['the new-chapter form', { method: 'GET', path: (p) => `/stories/${p.published}/chapters/new`, expect: page(200, 403) }],
  ['the chapter editor', { method: 'GET', path: (p) => `/stories/${p.published}/chapters/${p.chapter}/edit`, expect: page(200, 403) }],
  [
    'the chapter delete question',
    { method: 'GET', path: (p) => `/stories/${p.published}/chapters/${p.chapter}/delete`, expect: page(200, 403) },
  ],
  ['the new-story form', { method: 'GET', path: () => '/stories/new', expect: page(200, 200) }],
  ['the import form', { method: 'GET', path: () => '/import', expect: page(200, 200) }],
  ['account settings', { method: 'GET', path: () => '/settings/account', expect: page(200, 200) }],
  ['reading settings', { method: 'GET', path: () => '/settings/reading', expect: page(200, 200, 200) }],
  ['create a story', { method: 'POST', path: () => '/stories', fields: storyFields(), multipart: true, expect: write(303, 303) }],
  [
    'edit a story',
    { method: 'POST', path: (p) => `/stories/${p.published}`, fields: storyFields(), multipart: true, expect: write(303, 403) },
  ],
  [
    'edit a draft story',
    { method: 'POST', path: (p) => `/stories/${p.draft}`, fields: storyFields(), multipart: true, expect: write(303, 404) },
  ],
  ['add a chapter', { method: 'POST', path: (p) => `/stories/${p.published}/chapters`, fields: chapterFields(), expect: write(303, 403) }],
  [
    'edit a chapter',
    { method: 'POST', path: (p) => `/stories/${p.published}/chapters/${p.chapter}`, fields: chapterFields(), expect: write(303, 403) },
  ],
  [
    'move a chapter',
    {
      method: 'POST',
      path: (p) => `/stories/${p.published}/chapters/${p.chapter}/move`,
      fields: { direction: 'down' },
      expect: write(303, 403),
    },
  ],
  [
    'change the profile',
    {
      method: 'POST',
      path: () => '/settings/profile',
      fields: (who) => ({ display_name: `${who} name`, bio: 'Hello.' }),
      expect: write(303, 303),
    },
  ],
  [
    'delete a draft chapter',
    { method: 'POST', path: (p) => `/stories/${p.published}/chapters/${p.draftChapter}/delete`, fields: {}, expect: write(303, 403) },
  ],
  ['delete a draft story', { method: 'POST', path: (p) => `/stories/${p.draft}/delete`, fields: {}, expect: write(303, 404) }],
  ['delete a story', { method: 'POST', path: (p) => `/stories/${p.published}/delete`, fields: {}, expect: write(303, 403) }],
];

const ROLE_OF: Record<Exclude<Who, 'anonymous'>, Role> = {
  owner: 'user',
  admin: 'admin',
  reader: 'user',
  'other author': 'user',
  moderator: 'moderator',
};

describe.each(dialects)('the permission matrix on %s', (dialect) => {
  let h: Harness;
  let owner: Agent;
  const agents = new Map<Who, Agent>();
  beforeAll(async () => {
    h = await createHarness(dialect);
    owner = await h.login('owner');
    agents.set('owner', owner);
    agents.set('anonymous', h.agent());
    for (const who of ['admin', 'reader', 'other author', 'moderator'] as const) {
      agents.set(who, await h.login(who.replace(' ', '-'), ROLE_OF[who]));
    }
    await createStory(agents.get('other author') as Agent, { title: 'Their own story' });
  });
  afterAll(() => h.close());

  /** A fresh published story (a published and a draft chapter) and a draft story, for each role. */
  async function places(): Promise<Place> {
    const published = await createStory(owner, { title: 'Owned' });
    const chapter = await addChapter(owner, published, { title: 'Out' });
    await addChapter(owner, published, { title: 'Second' });
    const draftChapter = await addChapter(owner, published, { title: 'Hidden', action: 'draft' });
    const draft = await createStory(owner, { title: 'Unpublished' });
    await addChapter(owner, draft, { action: 'draft' });
    return { published, draft, chapter, draftChapter };
  }

  it.each(ROLES)('%s gets exactly the expected answer from every route', async (who) => {
    const agent = agents.get(who) as Agent;
    const place = await places();
    const csrf = await agent.csrfFrom(who === 'anonymous' ? '/login' : '/settings/account');
    const kind = who === 'anonymous' ? 'anonymous' : who === 'owner' || who === 'admin' ? 'editor' : 'other';
    const answers: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const [name, request] of MATRIX) {
      const path = request.path(place);
      const fields = typeof request.fields === 'function' ? request.fields(who) : request.fields;
      const response =
        request.method === 'GET'
          ? await agent.get(path)
          : await agent.post(path, { _csrf: csrf, ...fields }, { multipart: request.multipart === true });
      answers[name] = response.statusCode;
      expected[name] = request.expect[kind];
    }
    expect(answers).toEqual(expected);
  });
});
