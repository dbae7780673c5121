import { rectifyConfusion } from 'unicode-confusables';

/**
 * Characters that change how a name looks without being seen: bidirectional overrides and marks,
 * zero-width and other format characters, controls, unassigned and private-use code points, and
 * the blank "filler" letters and variation selectors that render as nothing.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u115F\u1160\u17B4\u17B5\u2800\u3164\uFFA0]|\u034F|\p{Variation_Selector}/u;
/** Any space but the plain one (no-break, ideographic, hair spaces...). */
const ODD_SPACE = /[^\S ]/u;

export function hasInvisibleCharacters(name: string): boolean {
  return INVISIBLE.test(name) || ODD_SPACE.test(name);
}

/**
 * The Unicode confusable skeleton (UTS #39) of a name, case-folded and with spaces removed: two
 * names with the same skeleton look alike ("Κeeper" with a Greek Kappa, "keeper", "KEEPER").
 */
export function nameSkeleton(name: string): string {
  const once = rectifyConfusion(name.normalize('NFD')).normalize('NFD').toLowerCase();
  return rectifyConfusion(once).normalize('NFD').replace(/\s+/g, '');
}
