import { z } from 'zod';

export const VISIBILITIES = [
  { value: 'private', label: 'Private: only you' },
  { value: 'unlisted', label: 'Unlisted: anyone with its address' },
  { value: 'public', label: 'Public' },
] as const;

export const ShelfSchema = z.object({
  name: z
    .string()
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'Name the shelf.').max(100, 'A shelf name is at most 100 characters.')),
  visibility: z.enum(['private', 'unlisted', 'public'], { message: 'Choose who may see the shelf.' }),
});
export type ShelfInput = z.infer<typeof ShelfSchema>;

/** The shelving form: the chosen shelves (check boxes, one id per line) and a note. */
export const ShelvingSchema = z.object({
  shelves: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split('\n')
        .filter((id) => /^\d{1,12}$/.test(id))
        .map(Number),
    ),
  note: z
    .string()
    .max(2000, 'A note is at most 2,000 characters.')
    .default('')
    .transform((value) => value.trim()),
});
export type ShelvingInput = z.infer<typeof ShelvingSchema>;
