import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { preferredEncoding } from './encoding.ts';

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

type Asset = { type: string; etag: string; identity: Buffer; br: Buffer; gzip: Buffer; version: string };

/**
 * The stylesheet, scripts and icon: a handful of small files, read and compressed (Brotli at its
 * best, gzip) once at start and kept in memory. Their URLs carry a hash of their content, so
 * browsers may keep them for a year and never see a stale one.
 */
function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(STATIC_DIR)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const identity = readFileSync(`${STATIC_DIR}${name}`);
    const version = createHash('sha256').update(identity).digest('hex').slice(0, 12);
    assets.set(name, {
      type,
      version,
      etag: `"${version}"`,
      identity,
      br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      gzip: gzipSync(identity, { level: 9 }),
    });
  }
  return assets;
}

const assets = loadAssets();

/** `/static/oak.css?v=…`: the address of a static file, changing whenever its content does. */
export function assetHref(name: string): string {
  const asset = assets.get(name);
  return asset ? `/static/${name}?v=${asset.version}` : `/static/${name}`;
}

export async function staticRoutes(app: FastifyInstance) {
  app.get<{ Params: { name: string } }>('/static/:name', (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.callNotFound();
    reply
      .type(asset.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', asset.etag)
      .header('vary', 'Accept-Encoding');
    if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
    // Compressing a 4 KB icon gains little, but it costs nothing now: each form was made at start.
    const encoding = preferredEncoding(request);
    return encoding ? reply.header('content-encoding', encoding).send(asset[encoding]) : reply.send(asset.identity);
  });
}
