import { percentDecoded, urlsIn } from '../urls.ts';

/** A story page as its author published it, split into the parts the archive stores. */
export type StoryPage = {
  description: string;
  cover: { artistName: string; artistUrl: string; sourceUrl: string } | null;
  body: string;
  noteAfter: string;
  /** The name the author's notes are signed with ("Stay cool,\nEnthereta Buzzpone"), or ''. */
  signature: string;
};

export const MAX_STORY_PAGE_BYTES = 2 * 1024 * 1024;

export class StoryPageError extends Error {}

const DESCRIPTION = /^description\s*:?$/i;
const AUTHORS_NOTES = /^author['’]?s\s+notes?\s*:(.*)$/i;

/**
 * Parses a FimFiction story page saved as text: a "Description" section (whose lines with links
 * credit the cover art), the chapter's prose, one paragraph per line, then "Author's Notes:".
 */
export function parseStoryPage(input: Buffer): StoryPage {
  const lines = decode(input).split('\n');

  const noteIndex = lines.findLastIndex((line) => AUTHORS_NOTES.test(line.trim()));
  const noteLines = noteIndex < 0 ? [] : [AUTHORS_NOTES.exec(lines[noteIndex]?.trim() ?? '')?.[1] ?? '', ...lines.slice(noteIndex + 1)];
  let middle = noteIndex < 0 ? lines : lines.slice(0, noteIndex);

  const firstText = middle.findIndex((line) => line.trim() !== '');
  const hasDescription = firstText >= 0 && DESCRIPTION.test(middle[firstText]?.trim() ?? '');
  let descriptionLines: string[] = [];
  let creditLines: string[] = [];
  if (hasDescription) {
    middle = middle.slice(firstText + 1);
    const start = chapterStart(middle);
    descriptionLines = middle.slice(0, start).filter((line) => urlsIn(line).length === 0);
    creditLines = middle.slice(0, start).filter((line) => urlsIn(line).length > 0);
    middle = middle.slice(start);
  }

  const body = paragraphs(middle);
  if (body === '') throw new StoryPageError('No story text was found in the file.');
  return {
    description: paragraphs(descriptionLines, true),
    cover: coverCredit(creditLines),
    body,
    noteAfter: paragraphs(noteLines),
    signature: signature(noteLines),
  };
}

function decode(input: Buffer): string {
  if (input.length === 0) throw new StoryPageError('The file is empty.');
  if (input.length > MAX_STORY_PAGE_BYTES) {
    throw new StoryPageError(`The file is too large: a story page may be at most ${MAX_STORY_PAGE_BYTES / 1024 / 1024} MB.`);
  }
  if (input.includes(0)) throw new StoryPageError('The file looks binary, not like a saved story page.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw new StoryPageError('The file is not UTF-8 text; save the story page as plain text and try again.');
  }
  // Control characters other than tab and newlines mean this is not a text page.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  if (/[\u0001-\u0008\u000e-\u001f]/.test(text)) throw new StoryPageError('The file looks binary, not like a saved story page.');
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw new StoryPageError('The file is empty.');
  return text;
}

/**
 * Where the chapter begins after the description: the first text line after the artwork credit
 * lines, or the first indented line (FimFiction's copy indents the chapter's opening); failing
 * both, after the description's first block of lines.
 */
function chapterStart(lines: string[]): number {
  let sawText = false;
  let sawCredit = false;
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    if (urlsIn(line).length > 0) sawCredit = true;
    else if (sawCredit || (sawText && /^[ \t]/.test(line))) return index;
    else sawText = true;
  }
  const firstText = lines.findIndex((line) => line.trim() !== '');
  const blank = lines.findIndex((line, index) => index > firstText && line.trim() === '');
  return blank < 0 ? lines.length : blank;
}

/** Trims each line; keeps one line per paragraph, and in the description keeps blank-line breaks. */
function paragraphs(lines: string[], keepBreaks = false): string {
  const trimmed = lines.map((line) => line.trim());
  const kept = keepBreaks ? trimmed : trimmed.filter((line) => line !== '');
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * A note that ends with a closing line ("Stay cool,", "Cheers,") and then a short line is signed:
 * that line is the author's name. Anything else (a sentence, a link) is not taken for a name.
 */
function signature(noteLines: string[]): string {
  const [name = '', closing = ''] = noteLines
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .reverse();
  const looksLikeName = name.length <= 60 && name.split(/\s+/).length <= 5 && !/[.!?:;]$/.test(name) && urlsIn(name).length === 0;
  return closing.endsWith(',') && closing.length <= 40 && looksLikeName ? name.replace(/^[-–—~\s]+/, '') : '';
}

/** An artist's page is a site or a profile; a link with a deeper path is the artwork itself. */
function coverCredit(lines: string[]): StoryPage['cover'] {
  const urls = lines.flatMap(urlsIn);
  if (urls.length === 0) return null;
  const depth = (url: string) => new URL(url).pathname.split('/').filter(Boolean).length;
  const artistUrl = urls.find((url) => depth(url) <= 1) ?? '';
  const sourceUrl = urls.find((url) => depth(url) > 1) ?? '';
  return { artistName: artistName(artistUrl || sourceUrl), artistUrl, sourceUrl };
}

/** The artist's handle from a gallery link: `name.deviantart.com`, or `site.com/name`. */
function artistName(url: string): string {
  const { hostname, pathname } = new URL(url);
  const labels = hostname.split('.');
  if (labels.length >= 3 && labels[0] !== 'www') return labels[0] ?? hostname;
  const first = pathname.split('/').find(Boolean);
  // A malformed escape such as `%E0%A4%A` is kept as typed rather than failing the import.
  return (first ? (percentDecoded(first) ?? first).replace(/^@/, '') : hostname.replace(/^www\./, '')).slice(0, 100);
}
