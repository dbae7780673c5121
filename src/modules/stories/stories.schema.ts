import { z } from 'zod';
import { CATEGORIES, type TypedTag, WARNINGS } from '../../kernel/db/tag-types.ts';
import { safeHttpUrl } from '../../kernel/text/urls.ts';

export const RATINGS = [
  { value: 'everyone', label: 'Everyone' },
  { value: 'teen', label: 'Teen' },
  { value: 'mature', label: 'Mature' },
  { value: 'explicit', label: 'Explicit' },
  { value: 'not_rated', label: 'Not rated' },
] as const;

export const STATUSES = [
  { value: 'incomplete', label: 'Incomplete' },
  { value: 'complete', label: 'Complete' },
  { value: 'hiatus', label: 'On hiatus' },
  { value: 'cancelled', label: 'Cancelled' },
] as const;

/** The languages a story can be marked as written in: the archive's common ones, by their own names. */
export const LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'zh', label: '中文 (Chinese)' },
  { value: 'ja', label: '日本語 (Japanese)' },
  { value: 'ko', label: '한국어 (Korean)' },
  { value: 'es', label: 'Español (Spanish)' },
  { value: 'fr', label: 'Français (French)' },
  { value: 'de', label: 'Deutsch (German)' },
  { value: 'it', label: 'Italiano (Italian)' },
  { value: 'pt', label: 'Português (Portuguese)' },
  { value: 'ru', label: 'Русский (Russian)' },
  { value: 'pl', label: 'Polski (Polish)' },
  { value: 'nl', label: 'Nederlands (Dutch)' },
  { value: 'sv', label: 'Svenska (Swedish)' },
  { value: 'fi', label: 'Suomi (Finnish)' },
  { value: 'tr', label: 'Türkçe (Turkish)' },
  { value: 'uk', label: 'Українська (Ukrainian)' },
  { value: 'vi', label: 'Tiếng Việt (Vietnamese)' },
  { value: 'id', label: 'Bahasa Indonesia (Indonesian)' },
  { value: 'ar', label: 'العربية (Arabic)' },
  { value: 'he', label: 'עברית (Hebrew)' },
  { value: 'other', label: 'Another language' },
] as const;
export const LANGUAGE_CODES = LANGUAGES.map((language) => language.value) as [string, ...string[]];

export const FormatSchema = z.enum(['markdown', 'bbcode', 'text'], { message: 'Choose Markdown, BBCode or plain text.' });

/** An optional link typed by an author: empty, or an absolute http(s) URL. */
export const OptionalLinkSchema = z
  .string()
  .trim()
  .max(500, 'Use at most 500 characters.')
  .refine((value) => value === '' || safeHttpUrl(value) !== null, 'Enter a full http:// or https:// address.')
  .transform((value) => (value === '' ? '' : (safeHttpUrl(value) ?? '')));

/** At most this many typed tags (fandoms, relationships, characters, additional tags) per story. */
export const MAX_TAGS = 75;
export const TagListSchema = z
  .string()
  .max(10_000, 'That is a lot of tags; use fewer.')
  .transform(firstSpellings)
  .refine((tags) => tags.length <= MAX_TAGS, `Use at most ${MAX_TAGS} tags.`)
  .refine((tags) => tags.every((tag) => tag.length <= 100), 'Each tag may be at most 100 characters.');

/** Check boxes sent as one value per line (web/multipart.ts and formValues join repeated fields so). */
const ChoiceSchema = z
  .string()
  .max(5000)
  .transform((value) => [
    ...new Set(
      value
        .split('\n')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  ]);

/** A fixed list: every chosen name must be one of `allowed`. */
const choiceOf = (allowed: readonly string[], what: string) =>
  ChoiceSchema.refine((names) => names.every((name) => allowed.includes(name)), `Choose ${what} from the list.`);

/** One tag per name, ignoring case, spelled as it was first typed ("Spike, spike" keeps "Spike"). */
function firstSpellings(value: string): string[] {
  const byKey = new Map<string, string>();
  for (const tag of splitTags(value)) if (!byKey.has(tag.toLowerCase())) byKey.set(tag.toLowerCase(), tag);
  return [...byKey.values()];
}

function splitTags(value: string): string[] {
  return value
    .split(',')
    .map((tag) => tag.replace(/\s+/g, ' ').trim())
    .filter((tag) => tag.length > 0);
}

export const StoryFormSchema = z
  .object({
    title: z.string().trim().min(1, 'Give your story a title.').max(200, 'Use at most 200 characters.'),
    summary: z.string().trim().max(1000, 'Keep the summary under 1,000 characters.').default(''),
    description: z.string().max(50_000, 'Keep the description under 50,000 characters.').default(''),
    description_format: FormatSchema.default('markdown'),
    rating: z.enum(['everyone', 'teen', 'mature', 'explicit', 'not_rated'], {
      message: 'Choose a rating: Everyone, Teen, Mature, Explicit or Not rated.',
    }),
    status: z.enum(['incomplete', 'complete', 'hiatus', 'cancelled'], { message: 'Choose a status.' }),
    language: z.enum(LANGUAGE_CODES, { message: 'Choose a language from the list.' }).default('en'),
    warnings: choiceOf(WARNINGS, 'warnings')
      .default([])
      .refine((names) => names.length > 0, 'Choose at least one warning, or “Creator Chose Not To Use Archive Warnings”.'),
    categories: choiceOf(CATEGORIES, 'categories').default([]),
    // Genres are tags an admin may change: checked against the archive's genre tags on save.
    genres: ChoiceSchema.default([]),
    fandoms: TagListSchema.default([]),
    relationships: TagListSchema.default([]),
    characters: TagListSchema.default([]),
    tags: TagListSchema.default([]),
    cover_artist_name: z.string().trim().max(100, 'Use at most 100 characters.').default(''),
    cover_artist_url: OptionalLinkSchema.default(''),
    cover_source_url: OptionalLinkSchema.default(''),
    original_author: z.string().trim().max(100, 'Use at most 100 characters.').default(''),
    source_url: OptionalLinkSchema.default(''),
    remove_cover: z
      .string()
      .optional()
      .transform((value) => value === 'on' || value === 'true'),
  })
  .superRefine((input, ctx) => {
    const typed = input.fandoms.length + input.relationships.length + input.characters.length + input.tags.length;
    if (typed > MAX_TAGS) {
      ctx.addIssue({ code: 'custom', path: ['tags'], message: `That is ${typed} tags in all; a story may have at most ${MAX_TAGS}.` });
    }
  });
export type StoryInput = z.infer<typeof StoryFormSchema>;

/** The typed tags a story form names, in the order they are shown. */
export function tagsOf(input: StoryInput): TypedTag[] {
  const named = (type: TypedTag['type'], names: string[]) => names.map((name) => ({ type, name }));
  return [
    ...named('warning', input.warnings),
    ...named('category', input.categories),
    ...named('fandom', input.fandoms),
    ...named('relationship', input.relationships),
    ...named('character', input.characters),
    ...named('genre', input.genres),
    ...named('freeform', input.tags),
  ];
}
