import { z } from 'zod';
import {
  ChapterIn,
  ChapterOut,
  CommentIn,
  CreatedOut,
  ProblemOut,
  ShelfIn,
  ShelfStoriesOut,
  ShelvesOut,
  ShelvingIn,
  ShelvingOut,
  StoryIn,
  StoryListOut,
  StoryOut,
  TagPageOut,
  TagsOut,
  UserOut,
} from './api.schemas.ts';

type Endpoint = {
  method: 'get' | 'post' | 'put';
  path: string;
  summary: string;
  /** 'write': needs a token with the write scope; 'read': works without a token (a token shows its owner's view). */
  access: 'read' | 'write';
  query?: { name: string; description: string }[];
  body?: z.ZodType;
  response: z.ZodType;
  status?: number;
};

/** Every endpoint, as the reference page and openapi.json describe it. */
export const ENDPOINTS: Endpoint[] = [
  {
    method: 'get',
    path: '/stories',
    summary: 'Published stories, newest first, with every filter of the site; `q` searches their text.',
    access: 'read',
    query: [
      { name: 'q', description: 'Search words, with the site’s query language (see /search/help)' },
      { name: 'include', description: 'Tags all of which a story has (comma-separated)' },
      { name: 'exclude', description: 'Tags none of which a story has' },
      { name: 'rating', description: 'everyone, teen, mature, explicit, not_rated (repeatable)' },
      { name: 'complete', description: 'complete or in-progress' },
      { name: 'sort', description: 'updated, published, words, kudos, views, title (and relevance with q)' },
      { name: 'after', description: 'The `next` cursor of the page before' },
      { name: 'before', description: 'The `previous` cursor of the page after' },
    ],
    response: StoryListOut,
  },
  { method: 'get', path: '/stories/{id}', summary: 'A story, its contents and download links.', access: 'read', response: StoryOut },
  {
    method: 'get',
    path: '/stories/{id}/chapters/{chapterId}',
    summary: 'A chapter’s text (sanitised HTML) and notes.',
    access: 'read',
    response: ChapterOut,
  },
  { method: 'get', path: '/users/{username}', summary: 'An author.', access: 'read', response: UserOut },
  { method: 'get', path: '/me', summary: 'The token’s owner.', access: 'read', response: UserOut },
  {
    method: 'get',
    path: '/tags',
    summary: 'The most used tags of each type, with how many stories carry them.',
    access: 'read',
    response: TagsOut,
  },
  {
    method: 'get',
    path: '/tags/{id}',
    summary: 'A tag, how it is wrangled, and its stories (a synonym lists its canonical tag’s); takes the filters of /stories.',
    access: 'read',
    response: TagPageOut,
  },
  { method: 'get', path: '/users/{username}/shelves', summary: 'An account’s public shelves.', access: 'read', response: ShelvesOut },
  { method: 'get', path: '/me/shelves', summary: 'All the token owner’s shelves, private ones too.', access: 'read', response: ShelvesOut },
  {
    method: 'get',
    path: '/shelves/{id}',
    summary: 'A shelf’s stories and notes: public and unlisted shelves for anyone, private ones for their owner.',
    access: 'read',
    response: ShelfStoriesOut,
  },
  { method: 'post', path: '/shelves', summary: 'Make a shelf.', access: 'write', body: ShelfIn, response: CreatedOut, status: 201 },
  {
    method: 'put',
    path: '/stories/{id}/shelves',
    summary: 'Put a story on exactly these shelves of the token owner’s, with a note.',
    access: 'write',
    body: ShelvingIn,
    response: ShelvingOut,
  },
  {
    method: 'post',
    path: '/stories',
    summary: 'Start a story (a draft until its first chapter is published).',
    access: 'write',
    body: StoryIn,
    response: CreatedOut,
    status: 201,
  },
  {
    method: 'post',
    path: '/stories/{id}/chapters',
    summary: 'Add a chapter to a story the token’s owner may edit.',
    access: 'write',
    body: ChapterIn,
    response: CreatedOut,
    status: 201,
  },
  {
    method: 'post',
    path: '/stories/{id}/chapters/{chapterId}/comments',
    summary: 'Comment on a chapter, or reply to a comment.',
    access: 'write',
    body: CommentIn,
    response: CreatedOut,
    status: 201,
  },
];

const schema = (type: z.ZodType) => z.toJSONSchema(type, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });

/** The OpenAPI 3.1 document, made from the same zod schemas the routes validate with. */
export function openApiDocument(origin: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of ENDPOINTS) {
    const parameters = [
      ...[...endpoint.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...(endpoint.query ?? []).map((q) => ({
        name: q.name,
        in: 'query',
        required: false,
        description: q.description,
        schema: { type: 'string' },
      })),
    ];
    paths[endpoint.path] = {
      ...paths[endpoint.path],
      [endpoint.method]: {
        summary: endpoint.summary,
        ...(endpoint.access === 'write' ? { security: [{ token: ['write'] }] } : {}),
        parameters,
        ...(endpoint.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(endpoint.body) } } } } : {}),
        responses: {
          [String(endpoint.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: schema(endpoint.response) } } },
          default: { description: 'A problem (RFC 9457)', content: { 'application/problem+json': { schema: schema(ProblemOut) } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Golden Oak API',
      version: '1',
      description: 'Read the archive, and write as the owner of a personal access token (Settings → API tokens).',
    },
    servers: [{ url: `${origin}/api/v1` }],
    components: { securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'A personal access token, `oak_…`' } } },
    paths,
  };
}
