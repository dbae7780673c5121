import MarkdownIt from 'markdown-it';

// Raw HTML in Markdown is shown as text, never passed through; links are still sanitised afterwards.
const md = new MarkdownIt({ html: false, linkify: true, typographer: true, breaks: false });

export function markdownToHtml(source: string): string {
  return md.render(source);
}
