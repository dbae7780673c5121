import { z } from 'zod';
import { hasInvisibleCharacters } from '../../text/names.ts';

export const USERNAME_RULE = 'Use 3–30 letters, digits, _ or -.';

export const UsernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{3,30}$/, USERNAME_RULE);

export const PasswordSchema = z.string().min(8, 'Use at least 8 characters.').max(256, 'Use at most 256 characters.');

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
