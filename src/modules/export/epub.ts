import { createHash } from 'node:crypto';
import { strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Db } from '../../kernel/db/schema.ts';
import { toXhtml, xmlText as x } from '../../kernel/text/xhtml.ts';
import { type ChapterText, chapterTexts, type StoryHead } from './story-document.ts';

/** Where the bytes go, a piece at a time (a file, in export.service). */
export type Sink = { write(bytes: Uint8Array): void };

const STYLE = `body { font-family: serif; line-height: 1.5; margin: 0 1em; }
h1, h2 { text-align: center; }
.byline, .rating, .source { text-align: center; }
.note { border: 1px solid #999; border-radius: 0.3em; padding: 0.3em 0.8em; margin: 1em 0; font-size: 0.95em; }
.note h2 { font-size: 1em; text-align: left; margin: 0.3em 0; }
dl.tags dt { font-weight: bold; margin-top: 0.5em; }
dl.tags dd { margin-left: 1em; }
.cover { text-align: center; }
.cover img { max-width: 100%; max-height: 95vh; }
`;

/** A stable identifier for the story on this archive, as a UUID (the same in every build). */
export function storyUuid(storyId: number, origin: string): string {
  const hex = createHash('sha1').update(`golden-oak:story:${origin}:${storyId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((Number.parseInt(hex.slice(16, 17), 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const page = (title: string, lang: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${x(lang)}" lang="${x(lang)}">
<head><meta charset="utf-8"/><title>${x(title)}</title><link rel="stylesheet" type="text/css" href="style.css"/></head>
<body>
${body}
</body>
</html>
`;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function titlePage(head: StoryHead, credit: string | null, url: string): string {
  const { story } = head;
  const by = story.original_author || story.author_display_name;
  const parts = [
    `<h1>${x(story.title)}</h1>`,
    `<p class="byline">by ${x(by)}${story.original_author ? ` (imported by ${x(story.author_display_name)})` : ''}</p>`,
    `<p class="rating">${x(head.rating)} · ${x(head.status)}</p>`,
  ];
  if (story.summary) parts.push(`<p><em>${x(story.summary)}</em></p>`);
  if (story.description_html) parts.push(`<section>${toXhtml(story.description_html)}</section>`);
  if (head.tagGroups.length) {
    parts.push('<dl class="tags">');
    for (const group of head.tagGroups) parts.push(`<dt>${x(group.label)}</dt><dd>${group.names.map(x).join(', ')}</dd>`);
    parts.push('</dl>');
  }
  for (const series of head.series) parts.push(`<p>Part ${series.position} of the series “${x(series.title)}”.</p>`);
  if (story.source_url) parts.push(`<p class="source">First published at ${x(story.source_url)}</p>`);
  if (credit) parts.push(`<p class="source">Cover: ${x(credit)}</p>`);
  parts.push(`<p class="source">From Golden Oak: ${x(url)}</p>`);
  return page(story.title, story.language, parts.join('\n'));
}

function chapterPage(head: StoryHead, chapter: ChapterText): string {
  const note = (html: string, label: string) =>
    html ? `<aside class="note" epub:type="note"><h2>${label}</h2>${toXhtml(html)}</aside>` : '';
  return page(
    chapter.title,
    head.story.language,
    `<section epub:type="chapter"><h1>${x(chapter.title)}</h1>${note(chapter.note_before_html, 'Author’s note')}${toXhtml(chapter.body_html)}${note(chapter.note_after_html, 'Author’s note')}</section>`,
  );
}

/**
 * Writes the story as EPUB 3 to `sink`: the mimetype first and stored, then the container, the
 * package document, a navigation document, a cover and title page, and one XHTML file per chapter
 * with the author's notes set apart. Chapters are read, converted and compressed one at a time, so
 * memory does not grow with the story.
 */
export async function writeEpub(db: Db, head: StoryHead, sink: Sink, options: { url: string; origin: string; cover: Buffer | null }) {
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else sink.write(chunk);
  });
  const stored = (name: string, text: string) => {
    const file = new ZipPassThrough(name);
    zip.add(file);
    file.push(strToU8(text), true);
  };
  const deflated = (name: string, data: string | Uint8Array) => {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    file.push(typeof data === 'string' ? strToU8(data) : data, true);
  };
  const { story } = head;
  stored('mimetype', 'application/epub+zip');
  deflated(
    'META-INF/container.xml',
    '<?xml version="1.0" encoding="UTF-8"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n',
  );
  deflated('OEBPS/style.css', STYLE);
  const credit = [story.cover_artist_name && `by ${story.cover_artist_name}`, story.cover_source_url].filter(Boolean).join(', ') || null;
  if (options.cover) {
    deflated('OEBPS/cover.jpg', options.cover);
    deflated(
      'OEBPS/cover.xhtml',
      page('Cover', story.language, `<div class="cover"><img src="cover.jpg" alt="Cover of ${x(story.title)}"/></div>`),
    );
  }
  deflated('OEBPS/title.xhtml', titlePage(head, options.cover ? credit : null, options.url));
  const files: { id: string; href: string; title: string }[] = [];
  for await (const chapter of chapterTexts(db, head)) {
    const href = `chapter-${chapter.position}.xhtml`;
    files.push({ id: `chapter-${chapter.position}`, href, title: chapter.title });
    deflated(`OEBPS/${href}`, chapterPage(head, chapter));
    if (failure) throw failure;
  }
  deflated(
    'OEBPS/nav.xhtml',
    page(
      story.title,
      story.language,
      `<nav epub:type="toc" id="toc"><h1>Contents</h1><ol><li><a href="title.xhtml">${x(story.title)}</a></li>${files
        .map((file) => `<li><a href="${file.href}">${x(file.title)}</a></li>`)
        .join('')}</ol></nav>`,
    ),
  );
  const modified = Math.max(story.updated_at, ...head.chapters.map((chapter) => chapter.updated_at));
  const by = story.original_author || story.author_display_name;
  const meta = [
    `<dc:identifier id="book-id">urn:uuid:${storyUuid(story.id, options.origin)}</dc:identifier>`,
    `<dc:title>${x(story.title)}</dc:title>`,
    `<dc:creator id="creator">${x(by)}</dc:creator>`,
    `<dc:language>${x(story.language)}</dc:language>`,
    `<meta property="dcterms:modified">${iso(modified)}</meta>`,
    `<dc:publisher>Golden Oak</dc:publisher>`,
    `<dc:source>${x(story.source_url || options.url)}</dc:source>`,
    story.summary ? `<dc:description>${x(story.summary)}</dc:description>` : '',
    ...head.tags.map((tag) => `<dc:subject>${x(tag.name)}</dc:subject>`),
    ...head.series.flatMap((series, index) => [
      `<meta property="belongs-to-collection" id="series-${index}">${x(series.title)}</meta>`,
      `<meta refines="#series-${index}" property="collection-type">series</meta>`,
      `<meta refines="#series-${index}" property="group-position">${series.position}</meta>`,
    ]),
    options.cover ? '<meta name="cover" content="cover-image"/>' : '',
  ].filter(Boolean);
  const manifest = [
    '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
    '<item id="style" href="style.css" media-type="text/css"/>',
    '<item id="title" href="title.xhtml" media-type="application/xhtml+xml"/>',
    ...(options.cover
      ? [
          '<item id="cover-image" href="cover.jpg" media-type="image/jpeg" properties="cover-image"/>',
          '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>',
        ]
      : []),
    ...files.map((file) => `<item id="${file.id}" href="${file.href}" media-type="application/xhtml+xml"/>`),
  ];
  const spine = [
    ...(options.cover ? ['<itemref idref="cover"/>'] : []),
    '<itemref idref="title"/>',
    ...files.map((file) => `<itemref idref="${file.id}"/>`),
  ];
  deflated(
    'OEBPS/content.opf',
    `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="${x(story.language)}">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
${meta.join('\n')}
</metadata>
<manifest>
${manifest.join('\n')}
</manifest>
<spine>
${spine.join('\n')}
</spine>
</package>
`,
  );
  zip.end();
  if (failure) throw failure;
}
