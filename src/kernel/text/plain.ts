import { escapeHtml } from './escape.ts';

/** Plain text as published on archives like FimFiction: every non-empty line is a paragraph. */
export function plainTextToHtml(source: string): string {
  return source
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('\n');
}
