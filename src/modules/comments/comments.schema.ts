import { z } from 'zod';
import { FormatSchema } from '../stories/stories.schema.ts';

/** A comment as typed: Markdown or BBCode (or plain text), 1 to 10,000 characters. */
export const CommentSchema = z.object({
  body: z
    .string()
    .transform((value) => value.replaceAll('\r\n', '\n'))
    .pipe(z.string().trim().min(1, 'Write something first.').max(10_000, 'A comment is at most 10,000 characters.')),
  format: FormatSchema.default('markdown'),
  parent_id: z
    .string()
    .optional()
    .transform((value) => (value && /^\d{1,12}$/.test(value) ? Number(value) : null)),
});
export type CommentInput = z.infer<typeof CommentSchema>;
