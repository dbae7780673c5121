import { z } from 'zod';
import { FormatSchema } from '../stories/stories.schema.ts';

export const ChapterFormSchema = z.object({
  title: z.string().trim().min(1, 'Give the chapter a title.').max(200, 'Use at most 200 characters.'),
  format: FormatSchema,
  body: z
    .string()
    .max(1_000_000, 'A chapter may be at most 1,000,000 characters; split it in two.')
    .refine((value) => value.trim().length > 0, 'Write something before saving.'),
  note_before: z.string().max(20_000, "Keep the author's note under 20,000 characters.").default(''),
  note_after: z.string().max(20_000, "Keep the author's note under 20,000 characters.").default(''),
  action: z.enum(['draft', 'publish', 'preview']).default('draft'),
});
export type ChapterInput = z.infer<typeof ChapterFormSchema>;

/** Up, down, or straight to a position (1 is first; past the end means last). */
export const MoveSchema = z.union(
  [z.object({ direction: z.enum(['up', 'down']) }), z.object({ position: z.coerce.number().int().min(1).max(100_000) })],
  { message: 'Move the chapter up, down, or to a position from 1 on.' },
);
export type Move = z.infer<typeof MoveSchema>;
