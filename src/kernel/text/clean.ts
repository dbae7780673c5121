/**
 * The characters no text in the archive keeps: NUL (PostgreSQL cannot store it, SQLite can, so
 * keeping it would make the two databases differ), the other C0 controls but tab and the line
 * breaks, and the two noncharacters U+FFFE and U+FFFF. XML 1.0 forbids exactly these, so text that
 * passed this rule can go into an EPUB or a feed as it is.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters the rule removes.
const UNKEPT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text as the archive keeps it: one pass, linear in its length. */
export function cleanText(text: string): string {
  return text.replace(UNKEPT, '');
}

/** Every string in a schema's parsed output cleaned (the output, not the raw body: its shape is the schema's). */
export function cleanStrings<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map(cleanStrings) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cleanStrings(item)])) as T;
  }
  return value;
}
