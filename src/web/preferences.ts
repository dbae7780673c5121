import { z } from 'zod';

/** Reader preferences live in a cookie so the server renders the right theme and type: no flash, no JS. */
export const PreferencesSchema = z.object({
  theme: z.enum(['auto', 'light', 'sepia', 'dark']).catch('auto'),
  size: z.coerce.number().int().min(1).max(5).catch(3),
  width: z.enum(['narrow', 'medium', 'wide']).catch('medium'),
  font: z.enum(['serif', 'sans']).catch('serif'),
});
export type Preferences = z.infer<typeof PreferencesSchema>;

export const PREFERENCES_COOKIE = 'oak_prefs';

export function parsePreferences(cookie: string | undefined): Preferences {
  const values = Object.fromEntries(new URLSearchParams(cookie ?? ''));
  return PreferencesSchema.parse(values);
}

export function serializePreferences(preferences: Preferences): string {
  return new URLSearchParams(Object.entries(preferences).map(([k, v]) => [k, String(v)])).toString();
}
