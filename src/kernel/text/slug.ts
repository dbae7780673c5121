/** A URL-friendly form of a title: ASCII letters and digits joined by single dashes. */
export function slugify(title: string): string {
  const slug = title
    .slice(0, 400)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 80)
    .replace(/^-|-$/g, '');
  return slug || 'story';
}
