import type { FastifyRequest } from 'fastify';

/** The compression to answer with: Brotli where the client takes it, else gzip, else none. */
export function preferredEncoding(request: FastifyRequest): 'br' | 'gzip' | null {
  const accepts = request.headers['accept-encoding'] ?? '';
  return accepts.includes('br') ? 'br' : accepts.includes('gzip') ? 'gzip' : null;
}
