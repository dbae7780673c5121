import { z } from 'zod';

/** Reader preferences live in a cookie so the server renders the right theme and type: no flash, no JS. */
const THEMES = ['auto', 'light', 'sepia', 'dark'] as const;
const WIDTHS = ['narrow', 'medium', 'wide'] as const;
const FONTS = ['serif', 'sans'] as const;

/** The reading-settings form; unknown values fall back to defaults rather than failing. */
export const PreferencesSchema = z.object({
  theme: z.enum(THEMES).catch('auto'),
  size: z.coerce.number().int().min(1).max(5).catch(3),
  width: z.enum(WIDTHS).catch('medium'),
  font: z.enum(FONTS).catch('serif'),
});
export type Preferences = z.infer<typeof PreferencesSchema>;

export const PREFERENCES_COOKIE = 'oak_prefs';
const DEFAULTS: Preferences = Object.freeze({ theme: 'auto', size: 3, width: 'medium', font: 'serif' });

const pick = <T extends string>(allowed: readonly T[], value: string | null, fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

/** The cookie read on every page: the same rules as the form's schema, by hand, since it runs per request. */
export function parsePreferences(cookie: string | undefined): Preferences {
  if (!cookie) return DEFAULTS;
  const values = new URLSearchParams(cookie);
  const size = Number(values.get('size'));
  return {
    theme: pick(THEMES, values.get('theme'), DEFAULTS.theme),
    size: Number.isInteger(size) && size >= 1 && size <= 5 ? size : DEFAULTS.size,
    width: pick(WIDTHS, values.get('width'), DEFAULTS.width),
    font: pick(FONTS, values.get('font'), DEFAULTS.font),
  };
}

export function serializePreferences(preferences: Preferences): string {
  return `theme=${preferences.theme}&size=${preferences.size}&width=${preferences.width}&font=${preferences.font}`;
}
