import { z } from 'zod';

const names = z
  .string()
  .max(10_000, 'That is a long list; keep it under 10,000 characters.')
  .default('')
  .transform((value) => [...new Set(value.split(',').map((name) => name.replace(/\s+/g, ' ').trim().toLowerCase()))].filter(Boolean))
  .refine((list) => list.length <= 50, 'Link at most 50 tags.');

/** The wrangling form: canonical or a synonym of one canonical tag; a canonical tag's fandoms and metatags. */
export const WrangleFormSchema = z.object({
  canonical: z
    .string()
    .optional()
    .transform((value) => value === '1'),
  synonym_of: z
    .string()
    .max(100, 'A tag name is at most 100 characters.')
    .default('')
    .transform((value) => value.replace(/\s+/g, ' ').trim().toLowerCase()),
  fandoms: names,
  metatags: names,
});
export type WrangleInput = z.infer<typeof WrangleFormSchema>;

/** A new genre's name: like any tag name, at most 100 characters and no commas. */
export const GenreSchema = z.object({
  name: z
    .string()
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(
      z
        .string()
        .min(1, 'Name the genre.')
        .max(100, 'A genre name is at most 100 characters.')
        .refine((name) => !name.includes(','), 'A genre name cannot contain a comma.'),
    ),
});
export type GenreInput = z.infer<typeof GenreSchema>;
