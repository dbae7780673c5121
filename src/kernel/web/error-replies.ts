import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/**
 * The status and sentence any error answers with, whichever format a surface sends it in (its own
 * error handler: HTML pages in app.ts, plain text for OPDS, JSON for health and the API).
 */
export function describeError(error: unknown): { status: number; message: string } {
  if (error instanceof AppError) return { status: error.status, message: error.message };
  const fastifyError = error as { statusCode?: number; message?: string };
  const status = fastifyError.statusCode ?? 500;
  if (status === 413) return { status: 413, message: 'That form sent more than the archive accepts at once.' };
  if (status >= 400 && status < 500) return { status, message: fastifyError.message ?? 'The request was not valid.' };
  return { status: 500, message: 'The archive hit an unexpected problem. It has been logged.' };
}

/** An error as a status and one sentence of plain text, for clients that are not browsers. */
export function sendPlainError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, message } = describeError(error);
  if (status >= 500) request.log.error(error);
  return reply.status(status).type('text/plain; charset=utf-8').send(message);
}
