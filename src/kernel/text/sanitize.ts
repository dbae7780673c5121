import sanitizeHtml from 'sanitize-html';
import { cleanText } from './clean.ts';
import { limitNesting } from './html-depth.ts';

/** Far deeper than any story's markup; deeper tags are dropped before parsing (see limitNesting). */
const MAX_DEPTH = 100;

const CLASSES = [
  'spoiler',
  'bb-center',
  'bb-right',
  'bb-size-s',
  'bb-size-l',
  'bb-size-xl',
  ...['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'gray'].map((c) => `bb-color-${c}`),
];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'strong',
    'em',
    'b',
    'i',
    'u',
    's',
    'del',
    'sub',
    'sup',
    'blockquote',
    'a',
    'ul',
    'ol',
    'li',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'code',
    'pre',
    'span',
    'div',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href'], span: ['class', 'tabindex'], div: ['class'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedClasses: { span: CLASSES, div: CLASSES },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // The page's only h1 is the story or chapter title.
    h1: 'h2',
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener noreferrer' }),
  },
};
OPTIONS.allowedAttributes = { ...OPTIONS.allowedAttributes, a: ['href', 'rel'] };

/** The project's one sanitiser: everything a user wrote passes through here before it is stored as HTML. */
export function sanitize(html: string): string {
  return cleanText(sanitizeHtml(limitNesting(cleanText(html), MAX_DEPTH), OPTIONS));
}
