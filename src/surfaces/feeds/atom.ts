import { xmlText as xml } from '../../kernel/text/xhtml.ts';

/** One entry of an Atom feed: a story, or a chapter of one. */
export type AtomEntry = {
  id: string;
  title: string;
  link: string;
  updated: number;
  published?: number | null;
  author: string;
  summary: string;
  /** More links (OPDS: acquisition, covers, the next navigation level). */
  links?: AtomLink[];
  /** Tag names, as Atom categories. */
  categories?: string[];
  language?: string;
};
export type AtomLink = { rel: string; type: string; href: string; title?: string };
export type AtomFeed = {
  id: string;
  title: string;
  link: string;
  self: string;
  updated: number;
  entries: AtomEntry[];
  /** The self link's type: plain Atom, or an OPDS catalog's navigation or acquisition feed. */
  selfType?: string;
  links?: AtomLink[];
};

const date = (ms: number) => new Date(ms).toISOString();

const linkElement = (link: AtomLink) =>
  `<link rel="${xml(link.rel)}" type="${xml(link.type)}" href="${xml(link.href)}"${link.title ? ` title="${xml(link.title)}"` : ''}/>`;

/** An Atom 1.0 document (RFC 4287): every element a valid feed needs, nothing a reader could run. */
export function atomFeed(feed: AtomFeed): string {
  const entries = feed.entries.map(
    (entry) => `  <entry>
    <id>${xml(entry.id)}</id>
    <title>${xml(entry.title)}</title>
    <link rel="alternate" type="text/html" href="${xml(entry.link)}"/>${(entry.links ?? []).map((l) => `\n    ${linkElement(l)}`).join('')}
    <updated>${date(entry.updated)}</updated>${entry.published ? `\n    <published>${date(entry.published)}</published>` : ''}
    <author><name>${xml(entry.author)}</name></author>${entry.language ? `\n    <dc:language>${xml(entry.language)}</dc:language>` : ''}${(entry.categories ?? []).map((c) => `\n    <category term="${xml(c)}" label="${xml(c)}"/>`).join('')}
    <summary type="text">${xml(entry.summary)}</summary>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/terms/" xmlns:opds="http://opds-spec.org/2010/catalog">
  <id>${xml(feed.id)}</id>
  <title>${xml(feed.title)}</title>
  <link rel="alternate" type="text/html" href="${xml(feed.link)}"/>
  <link rel="self" type="${xml(feed.selfType ?? 'application/atom+xml')}" href="${xml(feed.self)}"/>${(feed.links ?? []).map((l) => `\n  ${linkElement(l)}`).join('')}
  <updated>${date(feed.updated)}</updated>
  <generator>Golden Oak</generator>
${entries.join('\n')}
</feed>
`;
}
