import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkArchive } from '../src/modules/operations/check.ts';
import type { Agent, FormFields } from './agent.ts';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { chapterFields, storyFields } from './stories.helpers.ts';

/**
 * Random sequences of writes, as authors, a reader and a moderator make them through HTTP; after
 * each sequence `oak check` must find no derived datum out of step with its source, and search must
 * know every author by her current names only. fast-check prints the failing seed and the shortest
 * sequence it could shrink to; FC_SEED=<seed> replays it.
 */
/** Each kind of write, as often as it happens on an archive: mostly writing, sometimes leaving. */
const WEIGHTS = {
  story: 3,
  chapter: 6,
  editChapter: 2,
  deleteChapter: 1,
  editStory: 2,
  deleteStory: 1,
  displayName: 2,
  username: 2,
  leave: 1,
  hide: 1,
  restore: 1,
  kudos: 2,
  comment: 2,
} as const;
const KINDS = Object.keys(WEIGHTS) as (keyof typeof WEIGHTS)[];
type Step = { kind: keyof typeof WEIGHTS; who: number; which: number; flag: boolean };
const step = fc.record({
  kind: fc.oneof(...KINDS.map((kind) => ({ arbitrary: fc.constant(kind), weight: WEIGHTS[kind] }))),
  who: fc.nat(),
  which: fc.nat(),
  flag: fc.boolean(),
});
const TAGS = ['Friendship', 'Slice of Life', 'Angst', 'Fluff', 'Hurt/Comfort'];

const titles = (html: string) => [...html.matchAll(/<h2 class="card-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);

type Author = { agent: Agent; username: string; displayName: string; password: string; left?: boolean };
type Story = { id: number; title: string; author: Author; chapters: { id: number; published: boolean }[]; hidden: boolean };

describe.each(dialects)('any sequence of writes leaves nothing to repair, on %s', (dialect) => {
  let h: Harness;
  const clock = testClock();
  let run = 0;
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
  });
  afterAll(() => h.close());

  async function play(steps: Step[]) {
    run++;
    let n = 0;
    const fresh = (prefix: string) => `${prefix}${run}n${++n}x`;
    const newAuthor = async (): Promise<Author> => {
      const username = fresh('au');
      return { agent: await h.login(username), username, displayName: username, password: `${username}-password` };
    };
    const authors = [await newAuthor(), await newAuthor(), await newAuthor()];
    const reader = await h.login(fresh('rd'));
    const moderator = await h.login(fresh('md'), 'moderator');
    // Past their first day: the newcomers' comment limit is not what this tests.
    clock.advance(2 * 24 * 60 * 60 * 1000);
    const stories: Story[] = [];
    const retired = new Set<string>();
    /** Story forms carry a cover, so they go as multipart, token first, as the browser sends them. */
    const post = async (agent: Agent, url: string, fields: FormFields, headers: Record<string, string> = {}) => {
      const csrf = await agent.csrfFrom('/library');
      agent.headers = headers;
      const response = await agent.post(url, { _csrf: csrf, ...fields }, { multipart: /^\/stories(\/\d+)?$/.test(url) });
      agent.headers = {};
      expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
      if (process.env.DRIFT_DEBUG) console.log(url, response.statusCode);
      return response;
    };
    const pick = <T>(list: T[], i: number): T | undefined => list[i % Math.max(list.length, 1)];

    for (const { kind, who, which, flag } of steps) {
      const author = pick(authors, who) as Author;
      // An orphaned story's author is gone: only the reader and the moderator still act on it.
      const story = pick(stories, which);
      const own = story && !story.author.left ? story : undefined;
      const chapter = story && pick(story.chapters, who);
      switch (kind) {
        case 'story': {
          const title = fresh('T');
          const response = await post(author.agent, '/stories', storyFields({ title, tags: TAGS[which % TAGS.length] ?? '' }));
          const id = Number(/\/stories\/(\d+)/.exec(response.headers.location ?? '')?.[1]);
          if (id) stories.push({ id, title, author, chapters: [], hidden: false });
          break;
        }
        case 'chapter': {
          if (!own) break;
          // Three in four are published at once; the rest wait as drafts.
          const publish = flag || who % 2 === 0;
          const fields = chapterFields({ title: fresh('C'), body: `${fresh('w')} words.`, action: publish ? 'publish' : 'draft' });
          const response = await post(own.author.agent, `/stories/${own.id}/chapters`, fields);
          const id = Number(/\/chapters\/(\d+)/.exec(response.headers.location ?? '')?.[1]);
          if (id) own.chapters.push({ id, published: publish });
          break;
        }
        case 'editChapter': {
          if (!own || !chapter) break;
          const fields = chapterFields({ title: fresh('C'), body: `${fresh('w')} again.`, action: flag ? 'publish' : 'draft' });
          const response = await post(own.author.agent, `/stories/${own.id}/chapters/${chapter.id}`, fields);
          if (response.statusCode === 303) chapter.published = flag;
          break;
        }
        case 'deleteChapter': {
          if (!own || !chapter) break;
          const response = await post(own.author.agent, `/stories/${own.id}/chapters/${chapter.id}/delete`, {});
          if (response.statusCode === 303) own.chapters = own.chapters.filter((c) => c !== chapter);
          break;
        }
        case 'editStory': {
          if (!own) break;
          const title = fresh('T');
          const response = await post(own.author.agent, `/stories/${own.id}`, storyFields({ title, tags: TAGS[who % TAGS.length] ?? '' }));
          if (response.statusCode === 303) own.title = title;
          break;
        }
        case 'deleteStory': {
          if (!own) break;
          const response = await post(own.author.agent, `/stories/${own.id}/delete`, { confirm: 'yes' });
          if (response.statusCode === 303) stories.splice(stories.indexOf(own), 1);
          break;
        }
        case 'displayName': {
          const name = fresh('Dn');
          const response = await post(author.agent, '/settings/profile', { display_name: name, bio: '' });
          if (response.statusCode === 303) {
            if (author.displayName !== author.username) retired.add(author.displayName);
            author.displayName = name;
          }
          break;
        }
        case 'username': {
          const name = fresh('un');
          const response = await post(author.agent, '/settings/username', { username: name, password: author.password });
          if (response.statusCode === 303) {
            if (author.displayName !== author.username) retired.add(author.username);
            author.username = name;
          }
          break;
        }
        case 'leave': {
          const choice = flag ? 'orphan' : 'delete';
          const response = await post(author.agent, '/settings/delete', { stories: choice, password: author.password, confirm: 'yes' });
          if (response.statusCode !== 303) break;
          retired.add(author.username).add(author.displayName);
          author.left = true;
          for (const gone of stories.filter((s) => s.author === author)) {
            if (choice === 'delete') stories.splice(stories.indexOf(gone), 1);
          }
          authors[authors.indexOf(author)] = await newAuthor();
          break;
        }
        case 'hide':
        case 'restore': {
          if (!story) break;
          const response = await post(moderator, `/moderation/stories/${story.id}/${kind}`, { reason: 'Checked by the drift test.' });
          if (response.statusCode === 303) story.hidden = kind === 'hide';
          break;
        }
        case 'kudos':
          if (story) await post(reader, `/stories/${story.id}/kudos`, {}, { 'sec-fetch-site': 'same-origin' });
          break;
        case 'comment':
          if (story && chapter?.published) {
            await post(reader, `/stories/${story.id}/chapters/${chapter.id}/comments`, { body: 'Lovely.', format: 'markdown' });
          }
          break;
      }
    }

    const drifts = await checkArchive(h.ctx, false);
    expect(drifts.filter((drift) => drift.stories > 0)).toEqual([]);
    const found = async (q: string) => titles((await h.agent().get(`/search?q=${encodeURIComponent(q)}`)).body).sort();
    for (const name of retired) expect(await found(name), `retired name ${name}`).toEqual([]);
    for (const author of authors) {
      const visible = stories
        .filter((s) => s.author === author && !s.hidden && s.chapters.some((c) => c.published))
        .map((s) => s.title)
        .sort();
      expect(await found(author.displayName), `display name ${author.displayName}`).toEqual(visible);
      expect(await found(author.username), `username ${author.username}`).toEqual(visible);
    }
  }

  it('finds no drift and no retired name after 50 to 120 random writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 50, maxLength: 120 }), (steps) => play(steps)),
      { numRuns: 5, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined, endOnFailure: true },
    );
  }, 180_000);
});
