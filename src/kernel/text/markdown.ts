import MarkdownIt from 'markdown-it';

// Raw HTML in Markdown is shown as text, never passed through; links are still sanitised afterwards.
const md = new MarkdownIt({ html: false, linkify: true, typographer: true, breaks: false });

// The archive shows no images from elsewhere: an image becomes a link to it, so nothing typed vanishes.
md.renderer.rules.image = (tokens, index) => {
  const token = tokens[index];
  const src = md.utils.escapeHtml(String(token?.attrGet('src') ?? ''));
  const alt = md.utils.escapeHtml(token?.content || 'image');
  return `<a href="${src}">[Image: ${alt}]</a>`;
};

export function markdownToHtml(source: string): string {
  return md.render(source);
}

/** A tag as typed in text (`<b>`, `</div>`, `<br/>`): shown as text, since Markdown here takes no HTML. */
const TYPED_TAG = /<\/?[a-zA-Z][a-zA-Z0-9-]*[\s/>]/;

/** What in a Markdown text will not look as its author may expect, said in words for the preview. */
export function markdownNotices(source: string): string[] {
  let images = 0;
  let html = false;
  const visit = (tokens: ReturnType<typeof md.parse>) => {
    for (const token of tokens) {
      if (token.type === 'image') images++;
      else if (token.type === 'text' && !html && TYPED_TAG.test(token.content)) html = true;
      if (token.children) visit(token.children);
    }
  };
  visit(md.parse(source, {}));
  const notices: string[] = [];
  if (images > 0) {
    notices.push(
      `Images are not shown in stories: ${images === 1 ? 'the image appears' : `the ${images} images appear`} as a link instead.`,
    );
  }
  if (html) notices.push('HTML tags are not supported in Markdown: they show exactly as typed. Use Markdown, such as *italic*.');
  return notices;
}
