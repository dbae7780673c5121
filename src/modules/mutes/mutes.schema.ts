import { z } from 'zod';
import { escapeLike } from '../../kernel/db/like.ts';

/** At most this many muted tag patterns and authors each: a mute list, not a second archive. */
export const MAX_MUTES = 200;

/** A tag pattern as typed (`*death*`, `Major Character Death`) in LIKE syntax, `\` escaping % and _. */
export function likePattern(pattern: string): string {
  return escapeLike(pattern).replaceAll('*', '%');
}

const lines = (value: string) =>
  [...new Set(value.split(/[\n,]/).map((item) => item.replace(/\s+/g, ' ').trim().toLowerCase()))].filter((item) => item !== '');

export const MuteFormSchema = z.object({
  tags: z
    .string()
    .max(20_000, 'That is a long list; keep it under 20,000 characters.')
    .default('')
    .transform(lines)
    .refine((patterns) => patterns.length <= MAX_MUTES, `Mute at most ${MAX_MUTES} tags.`)
    .refine((patterns) => patterns.every((p) => p.length <= 100), 'Each tag pattern may be at most 100 characters.')
    .refine((patterns) => patterns.every((p) => p.replaceAll('*', '') !== ''), 'A pattern needs at least one letter besides *.'),
  authors: z
    .string()
    .max(20_000, 'That is a long list; keep it under 20,000 characters.')
    .default('')
    .transform(lines)
    .refine((names) => names.length <= MAX_MUTES, `Mute at most ${MAX_MUTES} authors.`),
});
export type MuteInput = z.infer<typeof MuteFormSchema>;
