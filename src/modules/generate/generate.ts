import type { Context } from '../../kernel/context.ts';
import { analyze } from '../../kernel/db/database.ts';
import type { NewChapter, NewStory, Rating } from '../../kernel/db/schema.ts';
import { DEFAULT_GENRES, WARNINGS } from '../../kernel/db/tag-types.ts';
import { record, write } from '../../kernel/events/events.ts';
import { sortKey } from '../../kernel/text/sort-key.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { refreshFilterSets } from '../tags/tags.service.ts';
import { Prose } from './prose.ts';
import { type Random, seeded } from './random.ts';

export type GenerateOptions = { stories: number; seed: number; onProgress?: (done: number, total: number) => void };

/** AO3's proportions, roughly: what a reader filtering a big archive meets. */
const RATINGS: [Rating, number][] = [
  ['everyone', 30],
  ['teen', 30],
  ['mature', 17],
  ['explicit', 18],
  ['not_rated', 5],
];
const WARNING_WEIGHTS: [string, number][] = [
  [WARNINGS[1], 45],
  [WARNINGS[0], 35],
  [WARNINGS[2], 10],
  [WARNINGS[3], 6],
  [WARNINGS[4], 2],
  [WARNINGS[5], 2],
];
const CATEGORY_WEIGHTS: [string, number][] = [
  ['Gen', 35],
  ['M/M', 25],
  ['F/M', 20],
  ['F/F', 10],
  ['Multi', 5],
  ['Other', 5],
];

const BATCH = 200;
const DAY = 24 * 60 * 60 * 1000;

type TagRow = { id: number; name: string };

/**
 * Fills an archive with a deterministic synthetic corpus shaped like a real one: Zipf-popular
 * fandoms, characters, relationships and free-form tags (the popular ones canonical, with
 * misspelt synonyms), lognormal story lengths in several chapters of varied generated prose,
 * ratings, warnings and categories in AO3's proportions, about one crossover in ten and some
 * Chinese and Japanese stories. Written straight to the tables in batches, filter sets and search
 * index included, as the archive's own writes would leave them.
 */
export async function generate(ctx: Context, { stories, seed, onProgress }: GenerateOptions) {
  const random = seeded(seed);
  const prose = new Prose(random);
  const now = ctx.clock.now();
  const db = ctx.db;

  // Authors: one for every ten stories, all with one password (hashing is slow by design).
  const password = await hashPassword('generated password');
  const authorCount = Math.max(10, Math.ceil(stories / 10));
  const authorIds: number[] = [];
  for (let start = 0; start < authorCount; start += 500) {
    const rows = Array.from({ length: Math.min(500, authorCount - start) }, (_, i) => {
      const name = `${prose.name(random).toLowerCase()}${start + i}`;
      return {
        username: name,
        username_key: name,
        display_name: prose.name(random),
        username_skeleton: name,
        display_name_skeleton: '',
        bio: '',
        role: 'user' as const,
        password_hash: password,
        created_at: now - 3 * 365 * DAY,
      };
    });
    authorIds.push(...(await db.insertInto('users').values(rows).returning('id').execute()).map((row) => row.id));
  }

  // Tags: fandoms, their characters and relationships, free-form tags; each list most popular first.
  const insertTags = async (type: 'fandom' | 'character' | 'relationship' | 'freeform', names: string[]) => {
    const rows: TagRow[] = [];
    for (let start = 0; start < names.length; start += 500) {
      const chunk = [...new Set(names.slice(start, start + 500))];
      const values = chunk.map((name, i) => ({
        name,
        name_key: name.toLowerCase(),
        type,
        // The most used tags of each list are the ones wranglers made canonical.
        canonical: start + i < Math.max(20, names.length / 4) ? 1 : 0,
        created_at: now - 3 * 365 * DAY,
      }));
      rows.push(
        ...(await db
          .insertInto('tags')
          .values(values)
          .onConflict((oc) => oc.columns(['type', 'name_key']).doNothing())
          .returning(['id', 'name'])
          .execute()),
      );
    }
    return rows;
  };
  const fandomCount = Math.max(20, Math.round(stories / 40));
  const fandoms = await insertTags(
    'fandom',
    Array.from({ length: fandomCount }, (_, i) => `${prose.title(random)} ${i}`),
  );
  const characters = new Map<number, TagRow[]>();
  const relationships = new Map<number, TagRow[]>();
  for (let start = 0; start < fandoms.length; start += 100) {
    const group = fandoms.slice(start, start + 100);
    const people = group.map((fandom) => ({
      fandom,
      names: Array.from({ length: 8 }, () => `${prose.name(random)} ${prose.name(random)} (${fandom.id})`),
    }));
    const made = await insertTags(
      'character',
      people.flatMap((p) => p.names),
    );
    const byName = new Map(made.map((tag) => [tag.name, tag]));
    for (const { fandom, names } of people) {
      const tags = names.map((name) => byName.get(name)).filter((tag): tag is TagRow => tag !== undefined);
      characters.set(fandom.id, tags);
      const pairs = [0, 1, 2, 3].map((i) => `${tags[i]?.name ?? 'A'}/${tags[(i + 1) % tags.length]?.name ?? 'B'}`);
      const relations = await insertTags('relationship', pairs);
      relationships.set(fandom.id, relations);
      const links = [...tags, ...relations].map((tag) => ({ tag_id: tag.id, parent_id: fandom.id, kind: 'fandom' as const }));
      if (links.length) await db.insertInto('tag_links').values(links).execute();
    }
  }
  const freeformCount = Math.max(200, Math.round(stories / 25));
  const freeforms = await insertTags(
    'freeform',
    Array.from({ length: freeformCount }, (_, i) => `${prose.phrase(random)} ${i}`),
  );
  // One popular free-form tag in ten has a variant spelling wrangled as its synonym.
  const synonyms = new Map<number, TagRow>();
  const variants = freeforms.slice(0, Math.ceil(freeformCount / 10));
  for (let start = 0; start < variants.length; start += 500) {
    const chunk = variants.slice(start, start + 500);
    const rows = await db
      .insertInto('tags')
      .values(
        chunk.map((tag) => ({
          name: `${tag.name.toLowerCase()} (variant)`,
          name_key: `${tag.name.toLowerCase()} (variant)`,
          type: 'freeform' as const,
          canonical: 0,
          canonical_id: tag.id,
          created_at: now,
        })),
      )
      .returning(['id', 'name'])
      .execute();
    for (const [i, row] of rows.entries()) synonyms.set(chunk[i]?.id ?? 0, row);
  }
  const fixed = await db.selectFrom('tags').select(['id', 'name', 'type']).where('type', 'in', ['warning', 'category', 'genre']).execute();
  const fixedId = (type: string, name: string) => fixed.find((tag) => tag.type === type && tag.name === name)?.id;

  for (let start = 0; start < stories; start += BATCH) {
    const count = Math.min(BATCH, stories - start);
    await write(ctx, async (trx) => {
      const drafts = Array.from({ length: count }, () => storyShape(random, prose, now));
      const ids = (
        await trx
          .insertInto('stories')
          .values(drafts.map((draft) => ({ ...draft.story, author_id: random.pick(authorIds) })))
          .returning('id')
          .execute()
      ).map((row) => row.id);
      const storyTags: { story_id: number; tag_id: number }[] = [];
      const chapters: NewChapter[] = [];
      ids.forEach((storyId, i) => {
        const draft = drafts[i];
        if (!draft) return;
        const tagIds = new Set<number>();
        const mainFandom = fandoms[random.zipf(fandoms.length)] as TagRow;
        const storyFandoms = [mainFandom];
        if (random.chance(0.1)) storyFandoms.push(fandoms[random.zipf(fandoms.length)] as TagRow);
        for (const fandom of storyFandoms) {
          tagIds.add(fandom.id);
          const cast = characters.get(fandom.id) ?? [];
          for (let n = random.int(1, 4); n > 0 && cast.length; n--) tagIds.add((cast[random.zipf(cast.length)] as TagRow).id);
          const pairs = relationships.get(fandom.id) ?? [];
          for (let n = random.int(0, 2); n > 0 && pairs.length; n--) tagIds.add((pairs[random.zipf(pairs.length)] as TagRow).id);
        }
        for (let n = random.int(0, 8); n > 0; n--) {
          const tag = freeforms[random.zipf(freeforms.length)] as TagRow;
          const synonym = synonyms.get(tag.id);
          tagIds.add(synonym && random.chance(0.3) ? synonym.id : tag.id);
        }
        const warning = fixedId('warning', random.weighted(WARNING_WEIGHTS));
        const category = fixedId('category', random.weighted(CATEGORY_WEIGHTS));
        if (warning) tagIds.add(warning);
        if (category) tagIds.add(category);
        for (let n = random.int(0, 2); n > 0; n--) {
          const genre = fixedId('genre', random.pick([...DEFAULT_GENRES]));
          if (genre) tagIds.add(genre);
        }
        for (const tagId of tagIds) storyTags.push({ story_id: storyId, tag_id: tagId });
        draft.chapters.forEach((chapter, position) => {
          chapters.push({ ...chapter, story_id: storyId, position: position + 1 });
        });
      });
      await trx.insertInto('story_tags').values(storyTags).execute();
      for (let c = 0; c < chapters.length; c += 100)
        await trx
          .insertInto('chapters')
          .values(chapters.slice(c, c + 100))
          .execute();
      await refreshFilterSets(trx, ids);
      record(trx, ...ids.map((storyId) => ({ type: 'storyCreated' as const, storyId })));
    });
    onProgress?.(start + count, stories);
  }
  await analyze(ctx.db);
}

/** One story's row and chapters: lognormal length, dates over three years, prose in English or (rarely) CJK. */
function storyShape(random: Random, prose: Prose, now: number) {
  const words = Math.min(200_000, Math.max(100, Math.round(random.lognormal(Math.log(1500), 1.0))));
  const chapterCount = Math.min(60, Math.max(1, Math.round(words / random.int(1500, 5000))));
  const published = now - random.int(1, 3 * 365) * DAY;
  const updated = Math.min(now, published + random.int(0, 365) * DAY);
  const cjk = random.chance(0.02);
  const chapters: Omit<NewChapter, 'story_id' | 'position'>[] = [];
  let total = 0;
  for (let i = 0; i < chapterCount; i++) {
    const paragraphs = cjk
      ? prose.cjkParagraphs(random, Math.ceil(words / chapterCount))
      : prose.paragraphs(random, Math.ceil(words / chapterCount));
    const wordCount = paragraphs.reduce((sum, p) => sum + p.words, 0);
    total += wordCount;
    chapters.push({
      title: cjk ? `第${i + 1}章` : `${prose.title(random)}`,
      format: 'markdown',
      body_source: paragraphs.map((p) => p.text).join('\n\n'),
      body_html: paragraphs.map((p) => `<p>${p.text}</p>`).join('\n'),
      note_before_source: '',
      note_before_html: '',
      note_after_source: '',
      note_after_html: '',
      word_count: wordCount,
      created_at: published,
      updated_at: updated,
      published_at: Math.round(published + (updated - published) * (i / chapterCount)),
    });
  }
  const title = cjk ? prose.cjkTitle(random) : prose.title(random);
  const story: Omit<NewStory, 'author_id'> = {
    title,
    sort_title: sortKey(title),
    slug: title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60),
    summary: cjk ? (prose.cjkParagraphs(random, 20)[0]?.text ?? '') : prose.sentence(random),
    rating: random.weighted(RATINGS),
    status: random.chance(0.55) ? 'complete' : 'incomplete',
    language: cjk ? 'ja' : 'en',
    word_count: total,
    chapter_count: chapterCount,
    created_at: published,
    updated_at: updated,
    published_at: published,
  };
  return { story, chapters };
}
