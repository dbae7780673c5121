import { z } from 'zod';

/** Every shape the API reads or writes; the routes validate with these and openapi.ts describes them. */
const Iso = z.string().describe('A date and time, ISO 8601, UTC');

export const TagOut = z.object({ type: z.string(), name: z.string() });
export const AuthorOut = z.object({ username: z.string(), display_name: z.string() });

export const StorySummaryOut = z.object({
  id: z.number().int(),
  title: z.string(),
  url: z.string().describe('The story page, relative to the archive'),
  author: AuthorOut,
  original_author: z.string().describe("Who wrote it, for an import; '' otherwise"),
  summary: z.string(),
  rating: z.string(),
  status: z.string(),
  words: z.number().int(),
  chapters: z.number().int(),
  kudos: z.number().int(),
  views: z.number().int(),
  tags: z.array(TagOut),
  updated_at: Iso,
  published_at: Iso.nullable(),
});

export const StoryListOut = z.object({
  items: z.array(StorySummaryOut),
  next: z.string().nullable().describe('Pass as `after` for the next page'),
  previous: z.string().nullable().describe('Pass as `before` for the previous page'),
});

export const StoryOut = StorySummaryOut.extend({
  language: z.string(),
  description_html: z.string(),
  contents: z.array(z.object({ id: z.number().int(), position: z.number().int(), title: z.string(), words: z.number().int() })),
  downloads: z.object({ epub: z.string(), html: z.string(), txt: z.string(), md: z.string() }),
});

export const ChapterOut = z.object({
  id: z.number().int(),
  story_id: z.number().int(),
  number: z.number().int(),
  title: z.string(),
  words: z.number().int(),
  html: z.string(),
  note_before_html: z.string(),
  note_after_html: z.string(),
  published_at: Iso.nullable(),
});

export const UserOut = z.object({ username: z.string(), display_name: z.string(), bio_html: z.string(), joined_at: Iso, url: z.string() });

export const CreatedOut = z.object({ id: z.number().int(), url: z.string() });

const TagRef = z.object({ id: z.number().int(), name: z.string(), type: z.string() });
export const TagsOut = z.object({ items: z.array(TagRef.extend({ uses: z.number().int() })) });
export const TagPageOut = z.object({
  tag: TagRef,
  canonical: TagRef.nullable().describe('The canonical tag this one is a synonym of'),
  synonyms: z.array(TagRef),
  fandoms: z.array(TagRef),
  metatags: z.array(TagRef),
  subtags: z.array(TagRef),
  stories: StoryListOut,
});

const ShelfOut = z.object({
  id: z.number().int(),
  name: z.string(),
  visibility: z.enum(['private', 'unlisted', 'public']),
  url: z.string().describe('The shelf’s address; an unlisted shelf’s carries its key, and is the only way to it'),
  stories: z.number().int().optional(),
});
export const ShelvesOut = z.object({ items: z.array(ShelfOut) });
export const ShelfStoriesOut = z.object({ shelf: ShelfOut, stories: StoryListOut, notes: z.record(z.string(), z.string()) });
export const ShelfIn = z.object({ name: z.string().min(1).max(100), visibility: z.enum(['private', 'unlisted', 'public']) });
export const ShelvingIn = z.object({
  shelves: z
    .array(z.number().int().positive())
    .max(100)
    .describe('The ids of the token owner’s shelves that hold the story; [] takes it off all'),
  note: z.string().max(2000).optional(),
});
export const ShelvingOut = z.object({ story_id: z.number().int(), shelves: z.array(z.number().int()) });

export const ProblemOut = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.record(z.string(), z.string()).optional(),
});

const Format = z.enum(['markdown', 'bbcode', 'text']);

export const StoryIn = z.object({
  title: z.string(),
  summary: z.string().optional(),
  description: z.string().optional(),
  description_format: Format.optional(),
  rating: z.enum(['everyone', 'teen', 'mature', 'explicit', 'not_rated']),
  status: z.enum(['incomplete', 'complete', 'hiatus', 'cancelled']).optional(),
  language: z.string().optional(),
  warnings: z.array(z.string()).min(1),
  categories: z.array(z.string()).optional(),
  fandoms: z.array(z.string()).optional(),
  relationships: z.array(z.string()).optional(),
  characters: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
});

export const ChapterIn = z.object({
  title: z.string(),
  body: z.string(),
  format: Format.default('markdown'),
  note_before: z.string().optional(),
  note_after: z.string().optional(),
  publish: z.boolean().default(true),
});

export const CommentIn = z.object({
  body: z.string(),
  format: Format.default('markdown'),
  parent_id: z.number().int().positive().optional(),
});
