import type { ChildNode, Element } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { limitNesting } from './html-depth.ts';

const MAX_DEPTH = 100;

/** Characters Markdown would read as syntax inside running text. */
const escapeInline = (text: string) => text.replace(/([\\`*_[\]<>~])/g, '\\$1');
/** At the start of a line, a few more: headings, quotes, lists, rules. */
const escapeLineStart = (line: string) => line.replace(/^(\s*)([#>+-]|\d+\.)(?=\s|$)/, '$1\\$2');

/**
 * Plain text as Markdown that renders to the same words: paragraphs at blank lines, single line
 * breaks kept as hard breaks, anything Markdown would read as syntax escaped.
 */
export function plainTextToMarkdown(text: string): string {
  return text
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map((line) => escapeLineStart(escapeInline(line.trim())))
        .join('\\\n'),
    )
    .join('\n\n');
}

const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'aside',
  'header',
  'footer',
  'center',
  'blockquote',
  'ul',
  'ol',
  'li',
  'pre',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'tr',
  'figure',
  'body',
  'html',
]);
const SKIP = new Set(['script', 'style', 'head', 'title', 'img', 'svg', 'iframe', 'object', 'video', 'audio']);

/**
 * HTML from an imported book (EPUB chapters, archive downloads) as Markdown, so an imported story
 * can be edited like one written here. Paragraphs, line breaks, emphasis, strong, strike-through,
 * links, block quotes, lists, headings, rules and preformatted text are kept; everything else
 * becomes its text. One pass over the tree: linear in the input.
 */
export function htmlToMarkdown(html: string): string {
  const blocks: string[] = [];
  const walkBlocks = (nodes: ChildNode[], quote: string) => {
    let run: ChildNode[] = [];
    const flush = () => {
      const text = inlineText(run)
        .replace(/[ \t]+\n/g, '\n')
        .trim();
      if (text) blocks.push(prefix(text, quote));
      run = [];
    };
    for (const node of nodes) {
      if (node.type !== 'tag' || !BLOCKS.has((node as Element).name)) {
        run.push(node);
        continue;
      }
      flush();
      const element = node as Element;
      const name = element.name;
      if (name === 'hr') blocks.push(prefix('* * *', quote));
      else if (name === 'blockquote') walkBlocks(element.children, `${quote}> `);
      else if (/^h[1-6]$/.test(name)) blocks.push(prefix(`${'#'.repeat(Number(name[1]))} ${inlineText(element.children).trim()}`, quote));
      else if (name === 'pre') blocks.push(prefix(`\`\`\`\n${textOf(element.children).replace(/```/g, "'''")}\n\`\`\``, quote));
      else if (name === 'ul' || name === 'ol') {
        let n = 0;
        const items = element.children
          .filter((child): child is Element => child.type === 'tag' && (child as Element).name === 'li')
          .map((li) => `${name === 'ol' ? `${++n}.` : '-'} ${inlineText(li.children).trim().replace(/\n/g, '\n   ')}`);
        if (items.length) blocks.push(prefix(items.join('\n'), quote));
      } else walkBlocks(element.children, quote);
    }
    flush();
  };
  // Bounded depth keeps both the parser and this walk linear, and the stack small.
  walkBlocks(parseDocument(limitNesting(html, MAX_DEPTH)).children, '');
  return blocks.join('\n\n');
}

const prefix = (text: string, quote: string) =>
  quote
    ? text
        .split('\n')
        .map((line) => `${quote}${line}`.trimEnd())
        .join('\n')
    : text;

function textOf(nodes: ChildNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.data;
    else if (node.type === 'tag' && !SKIP.has((node as Element).name)) out += textOf((node as Element).children);
  }
  return out;
}

/** A run of inline content as Markdown, escaped where a line would start as syntax. */
const inlineText = (nodes: ChildNode[]) => inline(nodes).split('\n').map(escapeLineStart).join('\n');

function inline(nodes: ChildNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') {
      out += escapeInline(node.data.replace(/\s+/g, ' '));
      continue;
    }
    if (node.type !== 'tag') continue;
    const element = node as Element;
    const name = element.name;
    if (SKIP.has(name)) continue;
    const inner = () => inline(element.children);
    if (name === 'br') out += '\\\n';
    else if (name === 'em' || name === 'i' || name === 'cite') out += wrap(inner(), '*');
    else if (name === 'strong' || name === 'b') out += wrap(inner(), '**');
    else if (name === 's' || name === 'del' || name === 'strike') out += wrap(inner(), '~~');
    else if (name === 'code') out += `\`${textOf(element.children).replace(/`/g, "'")}\``;
    else if (name === 'a' && /^https?:\/\//i.test(element.attribs.href ?? ''))
      out += `[${inner()}](<${(element.attribs.href ?? '').replace(/[<>\s]/g, encodeURIComponent)}>)`;
    else out += inner();
  }
  return out;
}

/** Emphasis around the text, with its outer spaces kept outside (Markdown ignores `* text *`). */
function wrap(text: string, mark: string): string {
  const trimmed = text.trim();
  if (!trimmed) return text;
  const before = text.slice(0, text.length - text.trimStart().length);
  const after = text.slice(text.trimEnd().length);
  return `${before}${mark}${trimmed}${mark}${after}`;
}
