import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness, testClock } from './harness.ts';
import { insertStories } from './stories.helpers.ts';

describe.each(dialects)('counting long lists on %s', (dialect) => {
  let h: Harness;
  const clock = testClock();
  beforeAll(async () => {
    h = await createHarness(dialect, clock);
    await h.login('bulk-author');
    const author = await h.ctx.db.selectFrom('users').select('id').where('username', '=', 'bulk-author').executeTakeFirstOrThrow();
    const tag = async (name: string) =>
      (
        await h.ctx.db
          .insertInto('tags')
          .values({ name, name_key: name.toLowerCase(), type: 'freeform', created_at: clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    await insertStories(h.ctx.db, author.id, 900, clock.now() - 1000, await tag('Common'));
    await insertStories(h.ctx.db, author.id, 300, clock.now() - 500, await tag('Grim'));
  }, 60_000);
  afterAll(() => h.close());

  const count = (html: string) => /<p class="list-count muted" role="status">([^<]*)<\/p>/.exec(html)?.[1];

  it('counts exactly up to 1,000, then says "About" with an estimate from the most recent stories', async () => {
    expect(count((await h.agent().get('/?include=grim')).body)).toBe('300 stories');
    expect(count((await h.agent().get('/?include=common')).body)).toBe('900 stories');
    const all = (await h.agent().get('/?complete=complete')).body;
    expect(count(all)).toBe('About 1,200 stories');
    // The sidebar says which stories it counted.
    expect(all).toContain('<h2 id="facets-heading">In the first 300 stories</h2>');
    expect(all).toMatch(/<span class="facet-name">Grim<\/span> <span class="muted">300<\/span>/);
  });

  it('estimates what a mute list hides in the same way', async () => {
    const reader = await h.login('bulk-reader');
    await reader.submit('/settings/mutes', '/settings/mutes', { tags: 'grim', authors: '' });
    const page = (await reader.get('/?complete=complete')).body;
    expect(count(page)).toBe('About 900 stories');
    expect(page).toContain('About 300 stories hidden by your');
    expect(page).not.toContain('<span class="facet-name">Grim</span>');
  });
});
