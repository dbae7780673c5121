import { z } from 'zod';

export const MAX_SAVED_SEARCHES = 50;

export const SavedSearchSchema = z.object({
  name: z
    .string()
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'Give the search a name.').max(100, 'A name is at most 100 characters.')),
  query: z.string().max(4000, 'That search is too long to save.').default(''),
});
export type SavedSearchInput = z.infer<typeof SavedSearchSchema>;
