import { rectifyConfusion } from 'unicode-confusables';

/**
 * Frozen copies of the text functions migrations 0002, 0010 and 0024 filled columns with, as they
 * were then. A migration must compute tomorrow what it computed the day it shipped, so it never
 * imports live code (src/kernel/text/names.ts and sort-key.ts may change under it).
 */

/** The confusable skeleton of a name, as 0002 and 0024 stored it. */
export function nameSkeleton(name: string): string {
  const once = rectifyConfusion(name.normalize('NFD')).normalize('NFD').toLowerCase();
  return rectifyConfusion(once).normalize('NFD').replace(/\s+/g, '');
}

/** A title's sort key, as 0010 stored it. */
export function sortKey(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .slice(0, 200);
}
