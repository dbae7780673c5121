import { isAo3, parseAo3Html } from './books/ao3.parser.ts';
import { EpubError, type ImportedBook, parseEpub } from './books/epub.parser.ts';
import {
  fimfictionChapter,
  isFimfictionHtml,
  isFimfictionTxt,
  parseFimfictionHtml,
  parseFimfictionTxt,
} from './books/fimfiction.parser.ts';

export type BookResult = { book: ImportedBook } | { refused: string };

/**
 * Runs in a worker thread of its own pool: an EPUB or an AO3 download read into chapters of
 * Markdown, so a large or hostile book never blocks the server (and the text workers every save
 * uses do not load these parsers).
 */
export default function readBook(bytes: Uint8Array): BookResult {
  try {
    const zip = bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
    if (zip) return { book: parseEpub(bytes, { preface: { is: isAo3, parse: parseAo3Html }, chapter: fimfictionChapter }) };
    const html = new TextDecoder().decode(bytes);
    if (isAo3(html)) return { book: parseAo3Html(html) };
    if (isFimfictionHtml(html)) return { book: parseFimfictionHtml(html) };
    if (isFimfictionTxt(html)) return { book: parseFimfictionTxt(html) };
    return { refused: 'That file is neither an EPUB nor an AO3 or FimFiction download.' };
  } catch (error) {
    // Only the message crosses back to the main thread; a refusal is the book's fault, anything else ours.
    if (error instanceof EpubError) return { refused: error.message };
    throw error;
  }
}
