const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "25 Nov 2026" (UTC). Built by hand: Intl formatting was a noticeable share of a list page's time. */
export function formatDate(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}
export const isoDate = (ms: number) => new Date(ms).toISOString();
// One formatter, built once: toLocaleString builds a new one on every call.
const COUNT = new Intl.NumberFormat('en-US');
export const formatCount = (n: number) => COUNT.format(n);
export const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;
