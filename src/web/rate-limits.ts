import type { FastifyRequest } from 'fastify';

/** Log-in and sign-up: a few tries a minute per address, against password guessing and account spam. */
export const authLimit = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

/** Creating stories, chapters and imports: generous for a writer, a wall for a spam script. */
export const writeLimit = {
  config: {
    rateLimit: {
      max: 60,
      timeWindow: '1 minute',
      keyGenerator: (request: FastifyRequest) => (request.viewer ? `user:${request.viewer.id}` : request.ip),
    },
  },
};
