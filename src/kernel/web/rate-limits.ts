import type { FastifyRequest } from 'fastify';

/** The signed-in account when there is one, else the client's address (as TRUST_PROXY defines it). */
const accountOrAddress = (request: FastifyRequest) => (request.viewer ? `user:${request.viewer.id}` : request.ip);

/** Log-in and sign-up: a few tries a minute per address, against password guessing and account spam. */
export const authLimit = { config: { rateLimit: { max: 10, timeWindow: '1 minute' }, anonymous: true } };

/** Password change: the log-in limit, counted per account so a stolen session cannot guess quickly from many addresses. */
export const passwordLimit = { config: { rateLimit: { max: 10, timeWindow: '1 minute', keyGenerator: accountOrAddress } } };

/** Creating and editing stories, chapters and imports: generous for a writer, a wall for a spam script. */
export const writeLimit = { config: { rateLimit: { max: 60, timeWindow: '1 minute', keyGenerator: accountOrAddress } } };

/** Story forms and imports carry a file: read as a stream by readMultipartForm. */
export const uploadLimit = { config: { ...writeLimit.config, multipart: true } };

/** Editors whose text must survive an expired session or token (see `keepsText`), with the write limit. */
export const editorLimit = { config: { ...writeLimit.config, keepsText: true } };
export const coverEditorLimit = { config: { ...uploadLimit.config, keepsText: true } };
