import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** A rendered page as sent to anonymous readers, with its compressed forms made once. */
export type CachedPage = {
  version: string;
  etag: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
  /** The page's HTML around its site header, for signed-in readers who see the rest exactly as anonymous ones do. */
  shared: { before: Buffer; after: Buffer; owners: readonly number[] } | null;
};

/**
 * Rendered pages for anonymous readers, in this process's memory, least recently used first out.
 * Each entry remembers the content version it was rendered at; a lookup at any other version misses,
 * so a stale page is never served (versions come from db/change-feed.ts).
 */
export function createPageCache(maxBytes = 64 * 1024 * 1024) {
  const entries = new Map<string, CachedPage>();
  let bytes = 0;
  const sizeOf = (page: CachedPage) => page.identity.length + page.gzip.length + page.br.length;
  return {
    /** How many pages are kept (for tests and the operator's curiosity). */
    get size() {
      return entries.size;
    },
    get(key: string, version: string): CachedPage | undefined {
      const page = entries.get(key);
      if (!page || page.version !== version) return undefined;
      entries.delete(key);
      entries.set(key, page);
      return page;
    },
    set(key: string, version: string, html: string, owners: readonly number[] | undefined): CachedPage {
      const identity = Buffer.from(html);
      const page: CachedPage = {
        version,
        shared: owners === undefined ? null : splitAtHeader(html, owners),
        etag: `"${createHash('sha1').update(identity).digest('base64url')}"`,
        identity,
        gzip: gzipSync(identity),
        br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }),
      };
      const old = entries.get(key);
      if (old) bytes -= sizeOf(old);
      entries.delete(key);
      entries.set(key, page);
      bytes += sizeOf(page);
      for (const [oldest, evicted] of entries) {
        if (bytes <= maxBytes) break;
        entries.delete(oldest);
        bytes -= sizeOf(evicted);
      }
      return page;
    },
  };
}
export type PageCache = ReturnType<typeof createPageCache>;

const HEADER_START = '<header class="site-header">';
const HEADER_END = '</header>';

/** The layout's header comes before any user text, so its first occurrence is the real one. */
function splitAtHeader(html: string, owners: readonly number[]): CachedPage['shared'] {
  const start = html.indexOf(HEADER_START);
  const end = html.indexOf(HEADER_END, start);
  if (start < 0 || end < 0) return null;
  return { before: Buffer.from(html.slice(0, start)), after: Buffer.from(html.slice(end + HEADER_END.length)), owners };
}
