import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

let href: string | undefined;

/** The stylesheet URL carries a hash of its content, so it can be cached forever and never served stale. */
export function stylesheetHref(): string {
  if (!href) {
    const hash = createHash('sha256')
      .update(readFileSync(`${STATIC_DIR}oak.css`))
      .digest('hex')
      .slice(0, 12);
    href = `/static/oak.css?v=${hash}`;
  }
  return href;
}
