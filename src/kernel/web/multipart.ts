import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { cleanText } from '../text/clean.ts';
import { checkCsrf, expiredForm, staleFormReason } from './csrf.ts';

/** What one multipart form may send; anything more is refused while it streams in, not after. */
export type MultipartLimits = { fields: number; fieldBytes: number; fileBytes: number; totalBytes: number };

export type UploadedFile = { filename: string; path: string };
export type MultipartForm = {
  values: Record<string, string>;
  /** For a form that keeps its text: why it cannot be saved now (web/csrf.ts), else null. */
  stale: string | null;
  /** The one file field, streamed to a private temporary file; null when none was chosen. */
  file: UploadedFile | null;
  /** Runs `work` on the form, then removes the temporary file whatever happened, before any reply is sent. */
  use<T>(work: (form: { values: Record<string, string>; file: UploadedFile | null }) => Promise<T>): Promise<T>;
};

const tooLarge = (limits: MultipartLimits) =>
  new AppError(
    413,
    `This form may send at most ${Math.round(limits.totalBytes / 1024 / 1024)} MB, with a file of at most ${Math.round(limits.fileBytes / 1024 / 1024)} MB.`,
  );

/**
 * Reads a multipart form as it streams: the CSRF token must be its first part and is checked before
 * anything else is read; fields and the file are bounded in count and size; the file goes to disk.
 * The session and the CSRF secret cookie were checked before the body was touched (the preParsing hook in app.ts).
 */
export async function readMultipartForm(
  request: FastifyRequest,
  reply: FastifyReply,
  tmpDir: string,
  limits: MultipartLimits,
  options: { keepsText?: boolean } = {},
): Promise<MultipartForm> {
  if (!request.isMultipart()) {
    throw request.viewer ? new AppError(415, 'This form must be sent as multipart/form-data.') : new AppError(401, 'Log in to do that.');
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limits.totalBytes) throw tooLarge(limits);

  const values: Record<string, string> = {};
  let file: UploadedFile | null = null;
  let stale: string | null = null;
  let received = 0;
  const discard = async () => {
    if (file) await rm(file.path, { force: true });
  };
  try {
    const parts = request.parts({
      limits: { fields: limits.fields, fieldSize: limits.fieldBytes, files: 1, fileSize: limits.fileBytes, parts: limits.fields + 1 },
    });
    let first = true;
    for await (const part of parts) {
      if (first) {
        // Browsers send fields in page order and every form's token comes first.
        const token = part.type === 'field' && part.fieldname === '_csrf' ? part.value : undefined;
        first = false;
        if (options.keepsText) {
          // The text is read (within the same limits) to be shown again; a file is not kept.
          stale = staleFormReason(request, reply, token);
          if (token !== undefined) continue;
        } else {
          if (token === undefined) throw expiredForm();
          checkCsrf(request, reply, token);
          continue;
        }
      }
      if (part.type === 'field') {
        if (part.valueTruncated) throw tooLarge(limits);
        const value = typeof part.value === 'string' ? cleanText(part.value) : '';
        received += Buffer.byteLength(value);
        // Check boxes of one name arrive as repeated fields: kept one per line, as formValues does.
        values[part.fieldname] = part.fieldname in values ? `${values[part.fieldname]}\n${value}` : value;
      } else if (part.filename === '' || stale) {
        part.file.resume();
      } else {
        await mkdir(tmpDir, { recursive: true, mode: 0o700 });
        file = { filename: part.filename, path: join(tmpDir, `upload-${randomBytes(12).toString('hex')}`) };
        await pipeline(part.file, createWriteStream(file.path, { mode: 0o600 }));
        received += part.file.bytesRead;
      }
      if (received > limits.totalBytes) throw tooLarge(limits);
    }
    if (first && !options.keepsText) throw expiredForm();
    return {
      values,
      stale: first ? staleFormReason(request, reply, undefined) : stale,
      file,
      use: async (work) => {
        try {
          return await work({ values, file });
        } finally {
          await discard();
        }
      },
    };
  } catch (error) {
    await discard();
    throw translate(error, limits);
  }
}

function translate(error: unknown, limits: MultipartLimits): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT') {
    return tooLarge(limits);
  }
  return error;
}
