import { parse as parseQuery } from 'node:querystring';
import { Transform } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { accessOf } from './access.ts';

/**
 * What a route's body may be. Forms are the default; the API and the reading script send JSON;
 * remote servers deliver ActivityPub documents, kept as bytes for their signatures.
 */
export type BodyKind = 'form' | 'json' | 'activity';

export const MEDIA_TYPES = {
  form: ['application/x-www-form-urlencoded'],
  multipart: ['multipart/form-data'],
  json: ['application/json'],
  activity: ['application/activity+json', 'application/ld+json'],
};

/** Far more fields than any form of the archive sends. */
export const MAX_FORM_FIELDS = 2000;

/**
 * A body of a kind the route does not take is refused from its Content-Type alone, before a byte
 * of it is read or parsed: no parser meant for another route ever sees it.
 */
export function refusedBody(request: FastifyRequest): AppError | null {
  const { headers } = request;
  if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) return null;
  if (headers['content-length'] === '0') return null;
  const kind = accessOf(request).body;
  const type = (headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  const accepted: readonly string[] = MEDIA_TYPES[kind];
  if (accepted.includes(type)) return null;
  return new AppError(415, `This address takes ${accepted[0]}, not ${type || 'a body without a type'}.`);
}

/** A url-encoded form, refused (not truncated) when it has more fields than any form here. */
export function parseForm(text: string) {
  let fields = 1;
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1)) {
    if (++fields > MAX_FORM_FIELDS) throw new AppError(400, 'That form has more fields than any form of the archive.');
  }
  return parseQuery(text);
}

/** The body stream, failing with 413 once more than `limit` bytes have come (for bodies sent without a length). */
export function capped(payload: NodeJS.ReadableStream, limit: number): Transform {
  let received = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      received += chunk.length;
      if (received > limit) next(Object.assign(new Error('That form sent more than the archive accepts at once.'), { statusCode: 413 }));
      else next(null, chunk);
    },
  });
  payload.on('error', (error) => guard.destroy(error));
  return payload.pipe(guard);
}

/** What a refused request may still send, read and dropped so its refusal arrives: then the connection goes. */
const DROPPED_BYTES = 8 * 1024 * 1024;
const DROPPED_MS = 5000;

/**
 * A request refused before its body was read: the body is read and dropped (counted, never held or
 * parsed), so the client reads the refusal. Closing at once would not do: a socket closed with bytes
 * unread is reset, and the reset can overtake the answer (a browser then shows "connection reset",
 * not "log in again"). Past DROPPED_BYTES or DROPPED_MS the connection is cut anyway.
 */
export function dropUnreadBody(request: FastifyRequest): void {
  const raw = request.raw;
  if (raw.complete) return;
  let dropped = 0;
  const cut = () => raw.socket.destroy();
  const timer = setTimeout(cut, DROPPED_MS);
  timer.unref();
  raw.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DROPPED_BYTES) cut();
  });
  raw.once('end', () => clearTimeout(timer));
  raw.once('close', () => clearTimeout(timer));
  raw.resume();
}
