import type { FastifyRequest } from 'fastify';
import type { RateLimit } from './access.ts';

// How often a route may be called: a part of its declaration apart from who may call it (access.ts).

/** The signed-in account when there is one, else the client's address (as TRUST_PROXY defines it). */
const accountOrAddress = (request: FastifyRequest) => (request.viewer ? `user:${request.viewer.id}` : request.ip);

/** Log-in and sign-up: a few tries a minute per address, against password guessing and account spam. */
export const authRate: RateLimit = { max: 10, timeWindow: '1 minute' };

/** Password change: the log-in limit, counted per account so a stolen session cannot guess quickly from many addresses. */
export const passwordRate: RateLimit = { max: 10, timeWindow: '1 minute', keyGenerator: accountOrAddress };

/** Creating and editing stories, chapters and imports: generous for a writer, a wall for a spam script. */
export const writeRate: RateLimit = { max: 60, timeWindow: '1 minute', keyGenerator: accountOrAddress };
