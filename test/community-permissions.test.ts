import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/kernel/db/schema.ts';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { addChapter, createStory } from './stories.helpers.ts';

/**
 * Every community write route against everyone who may try it: nobody, a reader, the story's author
 * (the owner), a co-author of it, a moderator, an admin, an account the owner blocked, and a suspended account.
 */
const WHO = ['anonymous', 'reader', 'owner', 'coauthor', 'moderator', 'admin', 'blocked', 'suspended'] as const;
type Who = (typeof WHO)[number];
type Place = { story: number; chapter: number; comment: number };
/** `fresh`: the owner posts a new comment before each try (a deleted comment cannot be deleted again). */
type Row = {
  path: (p: Place) => string;
  fields?: Record<string, string>;
  sameSite?: boolean;
  fresh?: boolean;
  expect: Record<Who, number>;
};

const all = (status: number, except: Partial<Record<Who, number>> = {}): Record<Who, number> => ({
  anonymous: 401,
  reader: status,
  owner: status,
  coauthor: status,
  moderator: status,
  admin: status,
  blocked: status,
  suspended: 403,
  ...except,
});
const moderators = (status: number) => all(403, { moderator: status, admin: status });

/** The chapter form as the editor sends it (url-encoded). */
const chapterForm = { title: 'Door', format: 'markdown', body: 'Open.', note_before: '', note_after: '', action: 'publish' };

const MATRIX: [string, Row][] = [
  [
    'add a chapter',
    {
      path: (p) => `/stories/${p.story}/chapters`,
      fields: chapterForm,
      expect: all(403, { owner: 303, coauthor: 303, admin: 303 }),
    },
  ],
  [
    'edit a chapter',
    {
      path: (p) => `/stories/${p.story}/chapters/${p.chapter}`,
      fields: chapterForm,
      expect: all(403, { owner: 303, coauthor: 303, admin: 303 }),
    },
  ],
  [
    'comment on a chapter',
    {
      path: (p) => `/stories/${p.story}/chapters/${p.chapter}/comments`,
      fields: { body: 'Hi', format: 'markdown' },
      expect: all(303, { blocked: 403 }),
    },
  ],
  [
    'reply to the owner',
    {
      path: (p) => `/stories/${p.story}/chapters/${p.chapter}/comments`,
      fields: { body: 'Re', format: 'markdown', parent_id: '' },
      expect: all(303, { blocked: 403 }),
    },
  ],
  ['leave kudos', { path: (p) => `/stories/${p.story}/kudos`, sameSite: true, expect: all(303, { anonymous: 303, blocked: 403 }) }],
  ['follow the owner', { path: () => '/users/owner/follow', fields: { action: 'follow' }, expect: all(303, { owner: 400, blocked: 403 }) }],
  [
    'subscribe to the story',
    { path: (p) => `/stories/${p.story}/subscription`, fields: { action: 'subscribe' }, expect: all(303, { blocked: 403 }) },
  ],
  ['mark the story read', { path: (p) => `/stories/${p.story}/read`, fields: { action: 'read' }, sameSite: true, expect: all(303) }],
  ['report the story', { path: () => '/report', fields: { kind: 'story', id: '', reason: 'Spam' }, expect: all(303, { owner: 400 }) }],
  ['block the owner', { path: () => '/users/owner/block', fields: { action: 'unblock' }, expect: all(303, { owner: 400 }) }],
  ['mark notifications read', { path: () => '/notifications/read', expect: all(303) }],
  ['choose notification settings', { path: () => '/settings/notifications', fields: { kudos: 'site' }, expect: all(303) }],
  ['make a shelf', { path: () => '/shelves', fields: { name: 'Mine', visibility: 'private' }, expect: all(303) }],
  ['hide the story', { path: (p) => `/moderation/stories/${p.story}/hide`, fields: { reason: 'x' }, expect: moderators(303) }],
  ['restore the story', { path: (p) => `/moderation/stories/${p.story}/restore`, fields: { reason: 'x' }, expect: moderators(303) }],
  ['hide the comment', { path: (p) => `/moderation/comments/${p.comment}/hide`, fields: { reason: 'x' }, expect: moderators(303) }],
  ['restore the comment', { path: (p) => `/moderation/comments/${p.comment}/restore`, fields: { reason: 'x' }, expect: moderators(303) }],
  ['suspend a reader', { path: () => '/moderation/users/target/suspend', fields: { days: '1', reason: 'x' }, expect: moderators(303) }],
  ['lift the suspension', { path: () => '/moderation/users/target/unsuspend', fields: { reason: 'x' }, expect: moderators(303) }],
  [
    'delete the owner’s comment',
    {
      path: (p) => `/comments/${p.comment}/delete`,
      fresh: true,
      expect: all(403, { owner: 303, coauthor: 303, moderator: 303, admin: 303 }),
    },
  ],
  [
    // Opening rather than closing, so the rows above never meet a closed story whatever the order.
    'open or close the story to comments',
    {
      path: (p) => `/stories/${p.story}/chapters/${p.chapter}/comments/lock`,
      fields: { locked: '0' },
      expect: all(403, { owner: 303, coauthor: 303, moderator: 303, admin: 303 }),
    },
  ],
];

describe.each(dialects)('who may write what in the community, on %s', (dialect) => {
  let h: Harness;
  const agents = {} as Record<Who, Agent>;
  const place = {} as Place;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    const roles: Partial<Record<Who, Role>> = { moderator: 'moderator', admin: 'admin' };
    for (const who of WHO) if (who !== 'anonymous') agents[who] = await h.login(who, roles[who] ?? 'user');
    agents.anonymous = h.agent();
    await h.login('target');
    place.story = await createStory(agents.owner, { title: 'Open house' });
    place.chapter = await addChapter(agents.owner, place.story, { title: 'Door' });
    // Past their first day, so no one meets the newcomers' comment limit here.
    clock.advance(2 * 24 * 60 * 60 * 1000);
    place.comment = await ownerComment();
    await agents.owner.submit('/users/blocked', '/users/blocked/block', { action: 'block' });
    await agents.owner.submit(`/stories/${place.story}`, `/stories/${place.story}/coauthors`, { username: 'coauthor' });
    await agents.coauthor.submit('/library', `/stories/${place.story}/coauthors/accept`, {});
    await agents.moderator.submit('/users/suspended', '/moderation/users/suspended/suspend', { days: '30', reason: 'test' });
  });
  afterAll(() => h.close());

  async function ownerComment(): Promise<number> {
    const comments = `/stories/${place.story}/chapters/${place.chapter}/comments`;
    const posted = await agents.owner.submit(comments, comments, { body: 'Welcome, all.', format: 'markdown' });
    expect(posted.statusCode, posted.body.slice(0, 500)).toBe(303);
    return (await h.ctx.db.selectFrom('comments').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
  }

  it.each(MATRIX)('%s', async (_name, row) => {
    for (const who of WHO) {
      const agent = agents[who];
      if (row.fresh) place.comment = await ownerComment();
      const fields: Record<string, string> = { ...row.fields };
      if (fields.parent_id === '') fields.parent_id = String(place.comment);
      if (fields.id === '') fields.id = String(place.story);
      // Signed-in agents post with the token their own pages carry; same-site buttons carry none.
      if (who !== 'anonymous' && !row.sameSite) fields._csrf = await agent.csrfFrom('/library');
      agent.headers = row.sameSite ? { 'sec-fetch-site': 'same-origin' } : {};
      const response = await agent.post(row.path(place), fields);
      agent.headers = {};
      expect(
        response.statusCode,
        `${who}: ${/<main[^>]*>([\s\S]*?)<\/main>/
          .exec(response.body)?.[1]
          ?.replace(/<[^>]+>/g, ' ')
          .slice(0, 300)}`,
      ).toBe(row.expect[who]);
    }
  });
});
