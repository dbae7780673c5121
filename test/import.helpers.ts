import { strToU8, zipSync } from 'fflate';
import { expect } from 'vitest';
import type { Agent } from './agent.ts';
import type { Harness } from './harness.ts';

/** Imports a file through the form, published, and reads back the story, its tags and its chapters. */
export async function importThroughForm(h: Harness, agent: Agent, filename: string, contentType: string, bytes: Buffer) {
  const response = await agent.submit('/import', '/import', { file: { filename, contentType, bytes }, publish: 'on' });
  expect(response.statusCode, /field-error[^>]*>([^<]*)/.exec(response.body)?.[1]).toBe(303);
  const id = Number(/\/stories\/(\d+)/.exec(String(response.headers.location))?.[1]);
  const story = await h.ctx.db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const tags = await h.ctx.db
    .selectFrom('story_tags')
    .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
    .select(['tags.type', 'tags.name'])
    .where('story_tags.story_id', '=', id)
    .execute();
  const chapters = await h.ctx.db
    .selectFrom('chapters')
    .select(['title', 'body_html', 'note_before_html', 'note_after_html'])
    .where('story_id', '=', id)
    .orderBy('position')
    .execute();
  return { story, tags: tags.map((t) => `${t.type}:${t.name}`).sort(), chapters };
}

/** An EPUB of these files, read in this order, with a package document (at `opfPath`) holding this Dublin Core metadata. */
export function epubOf(files: Record<string, string>, metadata: string, opfPath = 'content.opf'): Buffer {
  const names = Object.keys(files);
  const opf = `<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">${metadata}</metadata><manifest>${names
    .map((name, i) => `<item id="f${i}" href="${name}" media-type="application/xhtml+xml"/>`)
    .join('')}</manifest><spine>${names.map((_, i) => `<itemref idref="f${i}"/>`).join('')}</spine></package>`;
  return Buffer.from(
    zipSync({
      mimetype: strToU8('application/epub+zip'),
      'META-INF/container.xml': strToU8(
        `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="${opfPath}" media-type="application/oebps-package+xml"/></rootfiles></container>`,
      ),
      [opfPath]: strToU8(opf),
      ...Object.fromEntries(Object.entries(files).map(([name, body]) => [name, strToU8(body)])),
    }),
  );
}

/** A story's chapters as stored, for comparing a round trip. */
export function storedChapters(h: Harness, storyId: number) {
  return h.ctx.db
    .selectFrom('chapters')
    .select(['position', 'title', 'body_html', 'note_before_html', 'note_after_html', 'word_count'])
    .where('story_id', '=', storyId)
    .orderBy('position')
    .execute();
}
