const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>/g;
const VOID = new Set(['br', 'hr', 'img', 'wbr', 'input', 'meta', 'link', 'area', 'base', 'col', 'embed', 'source', 'track']);

/**
 * Drops the tags nested deeper than `max` (their text stays). The HTML parser under the sanitiser
 * slows quadratically with depth, and nothing a person writes nests a hundred elements deep.
 * One pass; the stack it keeps never exceeds `max`, so each closing tag looks at a bounded list.
 */
export function limitNesting(html: string, max: number): string {
  const open: string[] = [];
  let overflow = 0;
  return html.replace(TAG, (tag, closing: string, rawName: string) => {
    const name = rawName.toLowerCase();
    if (VOID.has(name) || tag.endsWith('/>')) return tag;
    if (!closing) {
      if (open.length < max) {
        open.push(name);
        return tag;
      }
      overflow++;
      return '';
    }
    if (overflow > 0) {
      overflow--;
      return '';
    }
    const at = open.lastIndexOf(name);
    if (at >= 0) open.length = at;
    return tag;
  });
}
