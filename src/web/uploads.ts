import { badRequest } from '../errors.ts';

type MultipartFile = { type: 'file'; filename: string; toBuffer(): Promise<Buffer> };

function isFile(value: unknown): value is MultipartFile {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'file';
}

/** The bytes of an uploaded file field, or null when none was chosen (browsers send an empty part). */
export async function uploadedFile(body: unknown, name: string): Promise<{ filename: string; bytes: Buffer } | null> {
  const field = (body as Record<string, unknown> | undefined)?.[name];
  if (field === undefined || field === '') return null;
  if (!isFile(field)) throw badRequest('Please choose a file.', { [name]: 'Choose a file to upload.' });
  const bytes = await field.toBuffer();
  return bytes.length === 0 && field.filename === '' ? null : { filename: field.filename, bytes };
}
