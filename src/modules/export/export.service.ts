import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Context } from '../../kernel/context.ts';
import { notFound } from '../../kernel/errors.ts';
import { siteUrl } from '../../kernel/mail/mail.ts';
import { slugify } from '../../kernel/text/slug.ts';
import { storyPath } from '../../kernel/web/paths.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { coverFile } from '../stories/cover.ts';
import { canViewStory } from '../stories/stories.policy.ts';
import { type Sink, writeEpub } from './epub.ts';
import { writeHtml, writeMarkdown, writeText } from './plain-formats.ts';
import { fingerprint, type StoryHead, storyHead } from './story-document.ts';

export const FORMATS = {
  epub: { type: 'application/epub+zip', label: 'EPUB' },
  html: { type: 'text/html; charset=utf-8', label: 'HTML' },
  txt: { type: 'text/plain; charset=utf-8', label: 'Plain text' },
  md: { type: 'text/markdown; charset=utf-8', label: 'Markdown' },
} as const;
export type Format = keyof typeof FORMATS;
export const isFormat = (value: unknown): value is Format => typeof value === 'string' && Object.hasOwn(FORMATS, value);

export type Download = { path: string; filename: string; type: string; etag: string };

/**
 * A published story as a file, built once per version of the story (its fingerprint) into the
 * download cache, and built again when the story changes. Built into a temporary file and renamed,
 * so a reader never gets half a file, and older versions are removed.
 */
export async function storyDownload(ctx: Context, viewer: Viewer | null, storyId: number, format: Format): Promise<Download> {
  const head = await storyHead(ctx.db, storyId);
  if (!head || head.story.published_at === null || !canViewStory(viewer, head.story)) throw notFound('Story');
  return buildDownload(ctx, head, format);
}

export async function buildDownload(ctx: Context, head: StoryHead, format: Format): Promise<Download> {
  const version = fingerprint(head);
  const dir = join(ctx.config.dataDir, 'cache', 'downloads');
  mkdirSync(dir, { recursive: true });
  const name = `${head.story.id}-${version}.${format}`;
  const path = join(dir, name);
  const download = {
    path,
    filename: `${slugify(head.story.title) || 'story'}.${format}`,
    type: FORMATS[format].type,
    etag: `"${version}-${format}"`,
  };
  if (existsSync(path)) return download;
  const partial = `${path}.${randomBytes(6).toString('hex')}.part`;
  const fd = openSync(partial, 'w');
  const sink: Sink = { write: (bytes) => void writeSync(fd, bytes) };
  try {
    await write(ctx, head, format, sink);
  } catch (error) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(partial, path);
  for (const old of readdirSync(dir)) {
    if (old.startsWith(`${head.story.id}-`) && old.endsWith(`.${format}`) && old !== name) rmSync(join(dir, old), { force: true });
  }
  return download;
}

async function write(ctx: Context, head: StoryHead, format: Format, sink: Sink) {
  const url = `${siteUrl(ctx.config)}${storyPath(head.story)}`;
  if (format === 'epub') {
    const cover = head.story.cover_key ? await ctx.storage.get(coverFile(head.story.cover_key, 'full')) : null;
    // EPUB 3.2 readers all know JPEG; the archive keeps covers as WebP.
    const jpeg = cover ? await sharp(cover).jpeg({ quality: 85 }).toBuffer() : null;
    return writeEpub(ctx.db, head, sink, { url, origin: siteUrl(ctx.config), cover: jpeg });
  }
  if (format === 'html') return writeHtml(ctx.db, head, sink, url);
  if (format === 'txt') return writeText(ctx.db, head, sink, url);
  return writeMarkdown(ctx.db, head, sink, url);
}
