import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { badRequest } from '../../kernel/errors.ts';
import type { Storage } from '../../kernel/storage/storage.ts';

const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'gif', 'avif']);
/** Refuse decompression bombs before decoding: 40 megapixels is far beyond any cover. */
const MAX_INPUT_PIXELS = 40_000_000;
const FULL = { width: 1200, height: 1800 };
const THUMB = { width: 240, height: 360 };

export type Cover = { key: string; width: number; height: number };

export const coverFile = (key: string, size: 'full' | 'thumb') => `covers/${key}${size === 'thumb' ? '-thumb' : ''}.webp`;

/**
 * Checks the upload by its content (not its name), re-encodes it to WebP without metadata at a
 * bounded size, stores a full image and a thumbnail, and returns the key to record.
 */
export async function storeCover(storage: Storage, upload: string | Buffer): Promise<Cover> {
  const image = sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false });
  let format: string | undefined;
  let pixels = 0;
  try {
    const meta = await image.metadata();
    format = meta.format;
    pixels = (meta.width ?? 0) * (meta.height ?? 0);
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) throw tooManyPixels();
    throw badRequest('The cover must be an image.', { cover: 'That file is not an image we can read (JPEG, PNG, WebP, GIF or AVIF).' });
  }
  if (!format || !ACCEPTED.has(format)) {
    throw badRequest('The cover must be an image.', { cover: 'Use a JPEG, PNG, WebP, GIF or AVIF image.' });
  }
  if (pixels > MAX_INPUT_PIXELS) throw tooManyPixels();
  try {
    // rotate() applies EXIF orientation; sharp drops all metadata unless asked to keep it.
    const base = image.rotate();
    const full = await base
      .clone()
      .resize({ ...FULL, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    const thumb = await base
      .clone()
      .resize({ ...THUMB, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 78 })
      .toBuffer();
    const key = randomBytes(12).toString('hex');
    await storage.put(coverFile(key, 'full'), full.data);
    await storage.put(coverFile(key, 'thumb'), thumb);
    return { key, width: full.info.width, height: full.info.height };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) throw tooManyPixels();
    throw badRequest('The cover could not be read.', { cover: 'That image is damaged or incomplete.' });
  }
}

export async function removeCover(storage: Storage, key: string | null): Promise<void> {
  if (!key) return;
  await storage.remove(coverFile(key, 'full'));
  await storage.remove(coverFile(key, 'thumb'));
}

/** Thumbnail dimensions for a stored cover, so pages reserve the space and nothing shifts. */
export function thumbSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, THUMB.width / width, THUMB.height / height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

const tooManyPixels = () =>
  badRequest('The cover is too large.', { cover: 'That image has too many pixels; use one under 40 megapixels.' });
