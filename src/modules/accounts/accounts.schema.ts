import { z } from 'zod';
import { hasInvisibleCharacters } from '../../kernel/text/names.ts';
import { FormatSchema } from '../stories/stories.schema.ts';

export const USERNAME_RULE = 'Use 3–30 letters, digits, _ or -.';

/** What is wrong with a username, in words that add to the rule shown as help; null when it is fine. */
function usernameProblem(value: string): string | null {
  if (value === '') return 'Choose a username.';
  const odd = [...value].find((character) => !/[A-Za-z0-9_-]/.test(character));
  if (odd) return `A username cannot contain ${odd === ' ' ? 'spaces' : `“${odd}”`}: use letters, digits, _ or -.`;
  if (value.length < 3) return `“${value}” is too short: a username needs at least 3 characters.`;
  if (value.length > 30) return `That username is ${value.length} characters long: use at most 30.`;
  return null;
}

export const UsernameSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = usernameProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const PasswordSchema = z.string().superRefine((value, ctx) => {
  if (value.length < 8) {
    const message = value === '' ? 'Choose a password.' : `That password has only ${value.length} characters: use at least 8.`;
    ctx.addIssue({ code: 'custom', message });
  } else if (value.length > 256) ctx.addIssue({ code: 'custom', message: 'That password is longer than 256 characters.' });
});

/** Both password forms ask twice; the second must match the first. */
const passwordsMatch = (v: { password: string; password_confirmation: string }) => v.password === v.password_confirmation;
const MISMATCH = { path: ['password_confirmation'], message: 'The two passwords do not match.' };

/** What readers see as the author's name: no invisible or direction-changing characters. */
const DisplayNameSchema = z
  .string()
  .trim()
  .max(60, 'Use at most 60 characters.')
  .transform((value) => value.normalize('NFC'))
  .refine((value) => !hasInvisibleCharacters(value), 'Use only visible characters: no invisible, control or text-direction characters.');

export const RoleSchema = z.enum(['user', 'moderator', 'admin']);

export const SignUpSchema = z
  .object({
    username: UsernameSchema,
    display_name: DisplayNameSchema.optional().default(''),
    password: PasswordSchema,
    password_confirmation: z.string(),
  })
  .refine(passwordsMatch, MISMATCH);
export type SignUpInput = z.infer<typeof SignUpSchema>;

export const LogInSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username.'),
  password: z.string().min(1, 'Enter your password.'),
  next: z.string().optional(),
});

export const ProfileSchema = z.object({
  display_name: DisplayNameSchema.refine((value) => value.length > 0, 'Enter the name readers will see.'),
  bio: z.string().trim().max(2000, 'Keep your bio under 2,000 characters.').default(''),
  bio_format: FormatSchema.default('text'),
});
export type ProfileInput = z.infer<typeof ProfileSchema>;

export const PasswordChangeSchema = z
  .object({
    current_password: z.string().min(1, 'Enter your current password.'),
    password: PasswordSchema,
    password_confirmation: z.string(),
  })
  .refine(passwordsMatch, MISMATCH);
export type PasswordChangeInput = z.infer<typeof PasswordChangeSchema>;

/** An address for mail, or '' to remove it. Kept simple: one @, a dot in the domain, no spaces. */
export const EmailSchema = z.object({
  email: z
    .string()
    .trim()
    .max(254, 'Use at most 254 characters.')
    .refine((value) => value === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value), 'That does not look like an e-mail address.'),
});

export const PasswordResetSchema = z
  .object({ token: z.string().max(200), password: PasswordSchema, password_confirmation: z.string() })
  .refine(passwordsMatch, MISMATCH);
export type PasswordResetInput = z.infer<typeof PasswordResetSchema>;
