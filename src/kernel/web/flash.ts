import type { FastifyReply, FastifyRequest } from 'fastify';

/** A one-line confirmation ("Chapter 3 published") carried across a redirect and shown once. */
export const FLASH_COOKIE = 'oak_flash';

export function setFlash(reply: FastifyReply, message: string) {
  // Signed, so no other site can make the archive print its words; a minute is plenty for one redirect.
  reply.setCookie(FLASH_COOKIE, message.slice(0, 300), { path: '/', httpOnly: true, sameSite: 'lax', signed: true, maxAge: 60 });
}

/** The message waiting for this request, cleared so it shows once; null when there is none (most requests). */
export function takeFlash(request: FastifyRequest, reply: FastifyReply): string | null {
  const signed = request.cookies[FLASH_COOKIE];
  if (!signed) return null;
  reply.clearCookie(FLASH_COOKIE, { path: '/' });
  const message = reply.unsignCookie(signed);
  return message.valid ? message.value : null;
}

export const hasFlash = (request: FastifyRequest) => request.cookies[FLASH_COOKIE] !== undefined;
