import type { FastifyRequest } from 'fastify';
import { AppError, notFound } from '../errors.ts';
import type { Viewer } from './viewer.ts';

/**
 * A path id, with or without the slug after it (`12` or `12-goodbye`; the slug is not checked here).
 * Anything that is not a positive integer names nothing: 404, not 400.
 */
export function parseId(value: unknown, what: string): number {
  const digits = typeof value === 'string' ? /^(\d{1,12})(?:-[^/]*)?$/.exec(value)?.[1] : undefined;
  const id = digits ? Number(digits) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound(what);
  return id;
}

/** The signed-in viewer, or a 401 that the error handler turns into a trip to the login page. */
export function requireViewer(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new AppError(401, 'Log in to do that.');
  return request.viewer;
}
