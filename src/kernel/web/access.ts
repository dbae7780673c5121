import type { FastifyRequest } from 'fastify';
import type { BodyKind } from './bodies.ts';

/**
 * Who may call a route and how it takes its body, declared beside the route and read by the hooks
 * app.ts registers, before any byte of the body is read. A route that writes and declares nothing
 * gets ACCOUNT: a signed-in session, the form's CSRF token, a url-encoded form.
 */
export type Access = {
  /**
   * `public`: anyone (log-in, sign-up, kudos, reading settings); `account`: a signed-in session;
   * `moderator`: a moderator's or admin's session; `token`: the API's bearer token, checked by the
   * API's own hook; `signed`: a remote server's HTTP signature, checked by the federation library.
   * Whether this account may change this story is for the module's policy, which knows the story.
   */
  caller: 'public' | 'account' | 'moderator' | 'token' | 'signed';
  /**
   * `token`: the form's CSRF token (in the body, or as X-CSRF-Token); `same-site`: a button on a
   * page cached for many readers, which can carry no token, so the browser's Sec-Fetch-Site (or
   * Origin) must say the post came from this site; `none` where a forged post can do no harm or
   * no cookie is looked at (the API, the inbox).
   */
  csrf: 'token' | 'same-site' | 'none';
  /** What the body may be (bodies.ts); any other kind is refused unread with 415. Multipart bodies are streamed by their handler, which checks their token itself. */
  body: BodyKind | 'multipart';
  /**
   * A form whose text must survive an expired session or CSRF token (the story, chapter and profile
   * editors): its body is read even then, and the handler shows the form again, filled in.
   */
  keepsText?: boolean;
  /** Bytes the body may have, when not the archive's 1 MB (the chapter editor's 10 MB). */
  bodyLimit?: number;
};

const form = { csrf: 'token', body: 'form' } as const;

/** The usual kinds of route. */
export const ACCESS = {
  account: { caller: 'account', ...form },
  moderator: { caller: 'moderator', ...form },
  public: { caller: 'public', ...form },
  /** An editor that keeps its text (see `keepsText`). */
  editor: { caller: 'account', ...form, keepsText: true },
  /** A form carrying a file (story covers, imports). */
  upload: { caller: 'account', csrf: 'token', body: 'multipart' },
  /** The story form: a file, and text that must survive an expired session. */
  coverEditor: { caller: 'account', csrf: 'token', body: 'multipart', keepsText: true },
} satisfies Record<string, Access>;

/** Rate limits, a separate part of a route: how often, not who. */
export type RateLimit = { max: number; timeWindow: string; keyGenerator?: (request: FastifyRequest) => string };

/** A route's declared parts as Fastify takes them: who may call and how (access), and how often (rate). */
export function declared(access: Access, rateLimit?: RateLimit) {
  return { config: { access, ...(rateLimit ? { rateLimit } : {}) }, ...(access.bodyLimit ? { bodyLimit: access.bodyLimit } : {}) };
}

/** What a route declared, or ACCESS.account when it declared nothing. */
export const accessOf = (request: FastifyRequest): Access => request.routeOptions.config.access ?? ACCESS.account;
