import CsrfTokens from '@fastify/csrf';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

// @fastify/csrf-protection issues tokens against a secret in a signed cookie; the same tokens
// library checks them here, so a multipart form can be checked from its first part, before the rest is read.
const tokens = CsrfTokens();
/** Where @fastify/csrf-protection keeps its secret (its default name). */
export const CSRF_COOKIE = '_csrf';

export const expiredForm = () => new AppError(403, 'This form has expired. Go back, reload the page and try again.');

/** Throws 403 unless `token` matches this browser's CSRF secret. */
export function checkCsrf(request: FastifyRequest, reply: FastifyReply, token: unknown): void {
  const signed = request.cookies[CSRF_COOKIE];
  const secret = signed ? reply.unsignCookie(signed) : null;
  if (!secret?.valid || !secret.value || typeof token !== 'string' || !tokens.verify(secret.value, token)) throw expiredForm();
}

/** Whether the browser has a CSRF secret at all: without one no form it posts can be valid, so its body need not be read. */
export const hasCsrfSecret = (request: FastifyRequest) => Boolean(request.cookies[CSRF_COOKIE]);

/**
 * Why a form that keeps its text (route config `keepsText`) cannot be saved now, or null when it
 * can. Its page is shown again, filled with what was sent and with a fresh token, under this line.
 */
export function staleFormReason(request: FastifyRequest, reply: FastifyReply, token: unknown = formToken(request)): string | null {
  if (!request.viewer) return STALE_SESSION;
  try {
    checkCsrf(request, reply, token);
    return null;
  } catch {
    return STALE_TOKEN;
  }
}

/** 401 when the session is gone, 403 when only the form's token is stale. */
export const staleStatus = (request: FastifyRequest) => (request.viewer ? 403 : 401);

export const STALE_SESSION =
  'Your session expired, so nothing was saved yet. Log in (in another tab, so this page stays), then press Save again: your text is kept below.';
export const STALE_TOKEN = 'This form had expired, so nothing was saved yet. Your text is kept below: press Save again.';

/** The token a url-encoded form sent. */
const formToken = (request: FastifyRequest) => (request.body as { _csrf?: unknown } | undefined)?._csrf;

/**
 * Whether a browser says the post came from another site. Old browsers and scripts say nothing,
 * and are let through: they are not what a cross-site forgery rides on.
 */
export function fromOtherSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site) return site !== 'same-origin' && site !== 'none';
  const { origin, host } = request.headers;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
