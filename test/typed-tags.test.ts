import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './agent.ts';
import { createHarness, dialects, type Harness } from './harness.ts';
import { addChapter, createStory, storyFields } from './stories.helpers.ts';

describe.each(dialects)('typed tags on %s', (dialect) => {
  let h: Harness;
  let author: Agent;
  beforeAll(async () => {
    h = await createHarness(dialect);
    author = await h.login('tagger');
  });
  afterAll(() => h.close());

  const tagsOf = async (storyId: number) =>
    h.ctx.db
      .selectFrom('story_tags')
      .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
      .select(['tags.type', 'tags.name'])
      .where('story_tags.story_id', '=', storyId)
      .orderBy('tags.type')
      .orderBy('tags.name')
      .execute();

  it('keeps each type apart, shows them in AO3’s order, and fills the form back by type', async () => {
    const id = await createStory(author, {
      title: 'Typed',
      warnings: 'Major Character Death\nGraphic Depictions Of Violence',
      categories: 'Gen\nF/M',
      fandoms: 'My Little Pony: Friendship is Magic',
      relationships: 'Twilight Sparkle/Spike',
      characters: 'Twilight Sparkle, Spike',
      genres: 'Sad\nDrama',
      tags: 'Found Family',
    });
    await addChapter(author, id);
    expect(await tagsOf(id)).toEqual([
      { type: 'category', name: 'F/M' },
      { type: 'category', name: 'Gen' },
      { type: 'character', name: 'Spike' },
      { type: 'character', name: 'Twilight Sparkle' },
      { type: 'fandom', name: 'My Little Pony: Friendship is Magic' },
      { type: 'freeform', name: 'Found Family' },
      { type: 'genre', name: 'Drama' },
      { type: 'genre', name: 'Sad' },
      { type: 'relationship', name: 'Twilight Sparkle/Spike' },
      { type: 'warning', name: 'Graphic Depictions Of Violence' },
      { type: 'warning', name: 'Major Character Death' },
    ]);
    const page = (await h.agent().get(`/stories/${id}`)).body;
    const shown = [...page.matchAll(/<li class="tag tag-(\w+)"><a href="\/tags\/\d+-[^"]*">[^<]*<\/a><\/li>/g)].map((m) => m[1]);
    expect(shown).toEqual([
      'warning',
      'warning',
      'category',
      'category',
      'fandom',
      'relationship',
      'character',
      'character',
      'genre',
      'genre',
      'freeform',
    ]);
    const form = (await author.get(`/stories/${id}/edit`)).body;
    expect(form).toMatch(/name="warnings" value="Major Character Death" checked/);
    expect(form).toMatch(/name="genres" value="Sad" checked/);
    expect(form).toContain('name="characters" type="text" value="Spike, Twilight Sparkle"');
  });

  it('asks for a warning, and takes warnings, categories and genres only from their lists', async () => {
    const none = await author.submit('/stories/new', '/stories', storyFields({ title: 'No warning', warnings: '' }));
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('<a href="#warnings-0">Choose at least one warning');
    for (const [field, value] of [
      ['warnings', 'Mild Peril'],
      ['categories', 'X/Y'],
      ['genres', 'Not A Genre'],
    ]) {
      const response = await author.submit('/stories/new', '/stories', storyFields({ title: 'Odd', [field as string]: value as string }));
      expect(response.statusCode, field).toBe(400);
      expect(response.body, field).toContain(`<a href="#${field}-0">Choose ${field} from the list.</a>`);
    }
    // Nothing new was created for a refused choice.
    const made = await h.ctx.db.selectFrom('tags').select('name').where('name', 'in', ['Mild Peril', 'X/Y', 'Not A Genre']).execute();
    expect(made).toEqual([]);
  });

  it('allows at most 75 typed tags in all, counted across fandoms, relationships, characters and additional tags', async () => {
    const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i}`).join(', ');
    const many = storyFields({
      title: 'Crowded',
      fandoms: names('Fandom', 20),
      characters: names('Character', 30),
      tags: names('Tag', 26),
    });
    const response = await author.submit('/stories/new', '/stories', many);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('That is 76 tags in all; a story may have at most 75.');
    await createStory(author, { ...many, tags: names('Tag', 25) });
  });

  it('suggests existing tags of a typed type by how they start, for the form’s progressive autocomplete', async () => {
    const suggesting = await createStory(author, { title: 'Suggesting', characters: 'Twilight Velvet, Trixie, 50% Pony' });
    const suggest = async (query: string) => (await h.app.inject({ url: `/tags/suggest?${query}` })).json().names;
    // A tag typed only on a draft is nobody else's to see yet.
    expect(await suggest('type=character&q=twilight v')).toEqual([]);
    await addChapter(author, suggesting);
    expect(await suggest('type=character&q=twi')).toEqual(['Twilight Sparkle', 'Twilight Velvet']);
    expect(await suggest('type=character&q=TWILIGHT v')).toEqual(['Twilight Velvet']);
    // % and _ are literal; chosen types, unknown types and one letter suggest nothing.
    expect(await suggest('type=character&q=50%')).toEqual(['50% Pony']);
    expect(await suggest('type=character&q=%25%25')).toEqual([]);
    expect(await suggest('type=warning&q=major')).toEqual([]);
    expect(await suggest('type=nope&q=twi')).toEqual([]);
    expect(await suggest('type=character&q=t')).toEqual([]);
    expect(await suggest('type=character&q[]=x')).toEqual([]);
    const form = (await author.get('/stories/new')).body;
    expect(form).toContain('list="characters-suggestions" data-suggest="character"');
    expect(form).toContain('<datalist id="characters-suggestions"></datalist>');
  });

  it('imports as "Creator Chose Not To Use Archive Warnings" until the importer says otherwise', async () => {
    const response = await author.submit('/import', '/import', {
      file: { filename: 'page.txt', contentType: 'text/plain', bytes: Buffer.from('A short story.\nIt ends.\n') },
    });
    expect(response.statusCode).toBe(303);
    const id = Number(/\/stories\/(\d+)/.exec(String(response.headers.location))?.[1]);
    expect(await tagsOf(id)).toEqual([{ type: 'warning', name: 'Creator Chose Not To Use Archive Warnings' }]);
  });
});
