import type { FastifyRequest } from 'fastify';
import { AppError, notFound } from '../errors.ts';
import type { Viewer } from '../features/accounts/viewer.ts';

/** A path id that is not a positive integer names nothing: 404, not 400. */
export function parseId(value: unknown, what: string): number {
  const id = typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound(what);
  return id;
}

/** The signed-in viewer, or a 401 that the error handler turns into a trip to the login page. */
export function requireViewer(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new AppError(401, 'Log in to do that.');
  return request.viewer;
}
