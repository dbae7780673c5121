import type { SafeHtml } from '../text/render.ts';

type UserHtmlProps = { html: SafeHtml; class?: string; as?: 'div' | 'section' | 'span' };

/** The one place raw HTML enters a page, and it only accepts output of src/text. */
export function UserHtml({ html, class: className, as: Tag = 'div' }: UserHtmlProps) {
  return <Tag class={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
