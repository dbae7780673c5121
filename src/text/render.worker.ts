import type { TextFormat } from '../db/schema.ts';
import { isAo3, parseAo3Html } from '../features/import/ao3.parser.ts';
import { EpubError, type ImportedBook, parseEpub } from '../features/import/epub.parser.ts';
import { markdownNotices } from './markdown.ts';
import { renderUserText } from './render.ts';
import { countWords } from './words.ts';

/** `notices`: also say what in the text will not show as its author may expect (for a preview). */
export type RenderTask = { source: string; format: TextFormat; notices?: boolean }[];
export type RenderResult = { html: string; words: number; notices: string[] }[];

/** Runs in a worker thread: user text is formatted here so a slow input never blocks the server. */
export default function render(task: RenderTask): RenderResult {
  return task.map(({ source, format, notices }) => {
    const html = renderUserText(source, format);
    return { html, words: countWords(html), notices: notices && format === 'markdown' ? markdownNotices(source) : [] };
  });
}

/** An EPUB or an AO3 download read into chapters of Markdown, here too: a large or hostile book never blocks the server. */
export function readBook(bytes: Uint8Array): { book: ImportedBook } | { refused: string } {
  try {
    const zip = bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
    if (zip) return { book: parseEpub(bytes) };
    const html = new TextDecoder().decode(bytes);
    if (isAo3(html)) return { book: parseAo3Html(html) };
    return { refused: 'That file is neither an EPUB nor an AO3 download.' };
  } catch (error) {
    // Only the message crosses back to the main thread; a refusal is the book's fault, anything else ours.
    if (error instanceof EpubError) return { refused: error.message };
    throw error;
  }
}
