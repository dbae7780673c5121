import { parse } from '@bbob/parser';
import { colorClass, sizeClass } from './bbcode-styles.ts';
import { escapeHtml } from './escape.ts';
import { safeHttpUrl } from './urls.ts';

/** The FimFiction-style tags we understand; any other bracketed text stays as typed. */
const TAGS = ['b', 'i', 'u', 's', 'url', 'quote', 'center', 'right', 'hr', 'size', 'color', 'spoiler'];
const BLOCK = new Set(['quote', 'center', 'right', 'hr']);

type TagNode = { tag: string; attrs: Record<string, string>; content: Node[] | null; end?: unknown };
type Node = string | TagNode;

const isTag = (node: Node): node is TagNode => typeof node === 'object' && node !== null;
const tagName = (node: TagNode) => node.tag.toLowerCase();
/** `[url=X]` stores X as an attribute whose key equals its value. */
const argument = (node: TagNode) => Object.entries(node.attrs).find(([key, value]) => key === value)?.[0] ?? '';

export function bbcodeToHtml(source: string): string {
  const tags = [...TAGS, ...TAGS.map((t) => t.toUpperCase())];
  const tree = parse(source.replace(/\r\n?/g, '\n'), { onlyAllowTags: tags }) as Node[];
  return blocks(tree);
}

/** Each line is a paragraph, as on FimFiction; block tags break paragraphs. */
function blocks(nodes: Node[]): string {
  const out: string[] = [];
  let line: Node[] = [];
  const flush = () => {
    const html = inline(line).trim();
    if (html) out.push(`<p>${html}</p>`);
    line = [];
  };
  for (const node of nodes) {
    if (node === '\n') flush();
    else if (isTag(node) && BLOCK.has(tagName(node)) && isClosed(node)) {
      flush();
      out.push(block(node));
    } else line.push(node);
  }
  flush();
  return out.join('\n');
}

function block(node: TagNode): string {
  const inner = blocks(node.content ?? []);
  switch (tagName(node)) {
    case 'quote':
      return `<blockquote>${inner}</blockquote>`;
    case 'center':
      return `<div class="bb-center">${inner}</div>`;
    case 'right':
      return `<div class="bb-right">${inner}</div>`;
    default:
      return '<hr>';
  }
}

function inline(nodes: Node[]): string {
  return nodes.map((node) => (isTag(node) ? inlineTag(node) : node === '\n' ? '<br>' : escapeHtml(node))).join('');
}

function isClosed(node: TagNode): boolean {
  return tagName(node) === 'hr' || node.end !== undefined;
}

function inlineTag(node: TagNode): string {
  const content = node.content ?? [];
  // An unclosed tag is shown as the author typed it rather than swallowing the text after it.
  if (!isClosed(node)) return escapeHtml(`[${node.tag}${argument(node) ? `=${argument(node)}` : ''}]`) + inline(content);
  const inner = inline(content);
  switch (tagName(node)) {
    case 'b':
      return `<strong>${inner}</strong>`;
    case 'i':
      return `<em>${inner}</em>`;
    case 'u':
      return `<u>${inner}</u>`;
    case 's':
      return `<s>${inner}</s>`;
    case 'spoiler':
      return `<span class="spoiler" tabindex="0">${inner}</span>`;
    case 'size':
      return wrapClass(sizeClass(argument(node)), inner);
    case 'color':
      return wrapClass(colorClass(argument(node)), inner);
    case 'url': {
      const href = safeHttpUrl(argument(node) || textOf(content));
      return href ? `<a href="${escapeHtml(href)}">${inner}</a>` : inner;
    }
    default:
      return inner;
  }
}

function wrapClass(className: string | null, inner: string): string {
  return className ? `<span class="${className}">${inner}</span>` : inner;
}

function textOf(nodes: Node[]): string {
  return nodes.map((node) => (isTag(node) ? textOf(node.content ?? []) : node)).join('');
}
