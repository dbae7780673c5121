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
