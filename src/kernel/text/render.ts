import type { TextFormat } from '../db/schema.ts';
import { bbcodeToHtml } from './bbcode.ts';
import { markdownToHtml } from './markdown.ts';
import { plainTextToHtml } from './plain.ts';
import { sanitize } from './sanitize.ts';

declare const safe: unique symbol;
/** HTML that came out of this module; the only kind a template may insert raw. */
export type SafeHtml = string & { readonly [safe]: true };

const RENDERERS: Record<TextFormat, (source: string) => string> = {
  markdown: markdownToHtml,
  bbcode: bbcodeToHtml,
  text: plainTextToHtml,
};

/** User text to stored HTML: format-specific rendering, then the one sanitiser. Done once, on save. */
export function renderUserText(source: string, format: TextFormat): SafeHtml {
  if (source.trim() === '') return '' as SafeHtml;
  return sanitize(RENDERERS[format](source)) as SafeHtml;
}

/** HTML read back from the database was produced by renderUserText on save. */
export function storedHtml(html: string): SafeHtml {
  return html as SafeHtml;
}
