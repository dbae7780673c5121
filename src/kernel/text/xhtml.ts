import render from 'dom-serializer';
import { parseDocument } from 'htmlparser2';
import { cleanText } from './clean.ts';

/**
 * Stored chapter HTML (already sanitised by src/text) as well-formed XHTML for EPUB: every element
 * closed, attributes quoted, and characters written as themselves rather than as HTML's named
 * entities, which XML does not know.
 */
export function toXhtml(html: string): string {
  // Characters XML forbids can still arrive: in text stored before every field was cleaned, or as
  // numeric references (`&#1;`) that the parser decodes and the serializer writes as themselves.
  return cleanText(render(parseDocument(html), { xmlMode: true, encodeEntities: 'utf8', selfClosingTags: true }));
}

/** Text for an XML text node or attribute (feeds, EPUB): the five characters that matter escaped, and characters XML 1.0 forbids dropped. */
export function xmlText(text: string): string {
  return cleanText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A stored HTML fragment as plain text: blocks become paragraphs, and entities are decoded. */
export function toPlainText(html: string): string {
  const document = parseDocument(
    html
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|blockquote|h[1-6]|li|pre)>/gi, '$&\n\n')
      .replace(/<hr\s*\/?>/gi, '\n* * *\n\n'),
  );
  const text: string[] = [];
  const walk = (node: { type: string; data?: string; children?: unknown[] }) => {
    if (node.type === 'text') text.push(node.data ?? '');
    for (const child of (node.children ?? []) as (typeof node)[]) walk(child);
  };
  walk(document as never);
  return text
    .join('')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
