import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: s3rver ships no types; only its constructor, run and close are used.
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/archive.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { s3Storage } from '../src/kernel/storage/s3.ts';
import { backup, restore } from '../src/modules/operations/backup.ts';
import { createHarness, dialects, type Harness } from './harness.ts';
import { photoWithExif } from './images.ts';
import { addChapter, createStory } from './stories.helpers.ts';

// A real S3 protocol peer: s3rver speaks the same signed REST calls as AWS, MinIO or Garage.
const directory = mkdtempSync(join(tmpdir(), 'oak-s3rver-'));
let server: { run(): Promise<{ port: number }>; close(): Promise<void> };
let endpoint = '';
beforeAll(async () => {
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: 'oak-media', configs: [] }] });
  const { port } = await server.run();
  endpoint = `http://S3RVER:S3RVER@127.0.0.1:${port}`;
});
afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

async function keysIn(url: string) {
  const keys: string[] = [];
  for await (const key of s3Storage(url).list()) keys.push(key);
  return keys.sort();
}

describe.each(dialects)('media in an S3-compatible bucket on %s', (dialect) => {
  let h: Harness;
  const prefix = `archive-${dialect}`;
  beforeAll(async () => {
    h = await createHarness(dialect, undefined, { S3_URL: `${endpoint}/oak-media/${prefix}?region=eu-west-1` });
  });
  afterAll(() => h.close());

  it('stores covers in the bucket under the prefix, serves them, and deletes them with the story', async () => {
    const author = await h.login('painter');
    const id = await createStory(author, {
      title: 'Bucket',
      cover: { filename: 'c.jpg', contentType: 'image/jpeg', bytes: await photoWithExif() },
    });
    await addChapter(author, id);
    const page = (await h.agent().get(`/stories/${id}`)).body;
    const cover = /src="(\/media\/covers\/[0-9a-f]{24}\.webp)"/.exec(page)?.[1] ?? 'no cover on the page';
    const served = await h.agent().get(cover);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    const keys = await keysIn(`${endpoint}/oak-media/${prefix}`);
    expect(keys).toHaveLength(2);
    expect(keys.every((key) => key.startsWith('covers/'))).toBe(true);
    // Nothing was written to local disk.
    expect(existsSync(join(h.ctx.config.dataDir, 'files'))).toBe(false);
    // The stored bytes are what the reader got.
    const full = keys.find((key) => cover.endsWith(key.slice('covers/'.length))) ?? '';
    expect(served.rawPayload.equals((await h.ctx.storage.get(full)) ?? Buffer.alloc(0))).toBe(true);
    expect(await h.ctx.storage.get('covers/none.webp')).toBeNull();
    await expect(h.ctx.storage.get('../escape')).rejects.toThrow('Invalid storage key');

    expect((await author.submit(`/stories/${id}/delete`, `/stories/${id}/delete`, {})).statusCode).toBe(303);
    expect(await keysIn(`${endpoint}/oak-media/${prefix}`)).toEqual([]);
  });
});

it('backs up the bucket with the database, and restores it onto local disk', async () => {
  const source = mkdtempSync(join(tmpdir(), 'oak-s3-backup-'));
  const target = mkdtempSync(join(tmpdir(), 'oak-s3-restore-'));
  try {
    const bucket = `${endpoint}/oak-media/backed-up`;
    const config = loadConfig({ DATA_DIR: source, S3_URL: bucket, SESSION_SECRET: 'x'.repeat(40) });
    const ctx = await createContext(config);
    const cover = await photoWithExif();
    await ctx.storage.put('covers/0123456789abcdef01234567.webp', cover);
    await ctx.storage.put('exports/7/data.zip', Buffer.from('zip bytes'));
    const file = join(source, 'with-bucket.zip');
    const manifest = await backup(config, file);
    await ctx.close();
    expect(manifest.files).toBe(2);
    await restore(loadConfig({ DATA_DIR: target, SESSION_SECRET: 'x'.repeat(40) }), file, false);
    expect(readFileSync(join(target, 'files', 'covers', '0123456789abcdef01234567.webp')).equals(cover)).toBe(true);
    expect(readFileSync(join(target, 'files', 'exports', '7', 'data.zip'), 'utf8')).toBe('zip bytes');
  } finally {
    rmSync(source, { recursive: true, force: true });
    rmSync(target, { recursive: true, force: true });
  }
});

describe('S3_URL', () => {
  it('must carry keys and a bucket', () => {
    expect(() => loadConfig({ DATA_DIR: directory, S3_URL: 'http://127.0.0.1:9000', SESSION_SECRET: 'x'.repeat(40) })).toThrow(
      /S3_URL must be/,
    );
  });
});
