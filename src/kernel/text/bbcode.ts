import { colorClass, sizeClass } from './bbcode-styles.ts';
import { escapeHtml } from './escape.ts';
import { safeHttpUrl } from './urls.ts';

/** The FimFiction-style tags we understand; any other bracketed text stays as typed. */
const TAGS = new Set(['b', 'i', 'u', 's', 'url', 'quote', 'center', 'right', 'hr', 'size', 'color', 'spoiler']);
const BLOCK = new Set(['quote', 'center', 'right', 'hr']);
/** Deeper tags are shown as typed: rendering recurses, and no story needs twenty nested quotes. */
export const MAX_BBCODE_DEPTH = 20;
/** A tag is at most this long between its brackets, so finding one never scans far. */
const MAX_TAG_LENGTH = 300;

type Element = { name: string; arg: string; raw: string; children: Node[] };
/** Text, a line break, or a closed tag (unclosed ones are flattened back into text). */
type Node = string | typeof NEWLINE | Element;
const NEWLINE = Symbol('newline');

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'open'; name: string; arg: string; raw: string }
  | { kind: 'close'; name: string; raw: string };

/** Splits source into text and tag tokens in one pass: each `[` looks ahead at most MAX_TAG_LENGTH characters. */
function* tokens(source: string): Generator<Token> {
  let start = 0;
  let at = source.indexOf('[');
  while (at >= 0) {
    const end = tagEnd(source, at);
    const tag = end < 0 ? null : /^(\/?)([a-z]+)(?:=(.*))?$/is.exec(source.slice(at + 1, end));
    const name = tag?.[2]?.toLowerCase() ?? '';
    if (tag && TAGS.has(name) && !(tag[1] && tag[3] !== undefined)) {
      if (at > start) yield { kind: 'text', text: source.slice(start, at) };
      const raw = source.slice(at, end + 1);
      yield tag[1] ? { kind: 'close', name, raw } : { kind: 'open', name, arg: unquote(tag[3] ?? ''), raw };
      start = end + 1;
    }
    at = source.indexOf('[', at + 1);
  }
  if (start < source.length) yield { kind: 'text', text: source.slice(start) };
}

function tagEnd(source: string, open: number): number {
  const limit = Math.min(source.length, open + MAX_TAG_LENGTH);
  for (let i = open + 1; i < limit; i++) {
    const ch = source[i];
    if (ch === ']') return i;
    if (ch === '[' || ch === '\n') return -1;
  }
  return -1;
}

const unquote = (value: string) => value.trim().replace(/^(["'])(.*)\1$/s, '$2');

/** Builds the tag tree with a bounded stack; a close tag with no open partner is text. */
function parse(source: string): Node[] {
  const root: Element = { name: '', arg: '', raw: '', children: [] };
  const stack: Element[] = [root];
  const top = () => stack[stack.length - 1] as Element;
  const pushText = (text: string) => {
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      if (index > 0) top().children.push(NEWLINE);
      if (line) top().children.push(line);
    });
  };
  /** An unclosed tag becomes its own text followed by its content, in its parent. */
  const unwind = () => {
    const open = stack.pop() as Element;
    const parent = top();
    parent.children.pop();
    parent.children.push(open.raw);
    for (const child of open.children) parent.children.push(child);
  };
  for (const token of tokens(source.replace(/\r\n?/g, '\n'))) {
    if (token.kind === 'text') pushText(token.text);
    else if (token.kind === 'open' && token.name === 'hr') top().children.push({ name: 'hr', arg: '', raw: token.raw, children: [] });
    else if (token.kind === 'open' && stack.length <= MAX_BBCODE_DEPTH) {
      const element: Element = { name: token.name, arg: token.arg, raw: token.raw, children: [] };
      top().children.push(element);
      stack.push(element);
    } else if (token.kind === 'close' && stack.some((element) => element.name === token.name)) {
      while (top().name !== token.name) unwind();
      stack.pop();
    } else pushText(token.raw);
  }
  while (stack.length > 1) unwind();
  return root.children;
}

export function bbcodeToHtml(source: string): string {
  return blocks(parse(source));
}

const isElement = (node: Node): node is Element => typeof node === 'object';

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
    if (node === NEWLINE) flush();
    else if (isElement(node) && BLOCK.has(node.name)) {
      flush();
      out.push(block(node));
    } else line.push(node);
  }
  flush();
  return out.join('\n');
}

function block(node: Element): string {
  const inner = blocks(node.children);
  switch (node.name) {
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
  return nodes.map((node) => (isElement(node) ? inlineTag(node) : node === NEWLINE ? '<br>' : escapeHtml(node))).join('');
}

function inlineTag(node: Element): string {
  const inner = inline(node.children);
  switch (node.name) {
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
      return wrapClass(sizeClass(node.arg), inner);
    case 'color':
      return wrapClass(colorClass(node.arg), inner);
    case 'url': {
      const href = safeHttpUrl(node.arg || textOf(node.children));
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
  return nodes.map((node) => (isElement(node) ? textOf(node.children) : node === NEWLINE ? '\n' : node)).join('');
}
