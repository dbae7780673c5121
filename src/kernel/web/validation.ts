import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { cleanStrings, cleanText } from '../text/clean.ts';
import type { FormState } from './forms.tsx';

/**
 * A form that cannot be saved: a message per field, and values the form must carry into its next
 * submit that the browser cannot re-send by itself (the token of a cover already uploaded).
 */
export class FormError extends AppError {
  constructor(
    fields: Record<string, string>,
    readonly kept: Record<string, string> = {},
  ) {
    const count = Object.keys(fields).length;
    super(
      400,
      count === 1 ? 'One thing needs fixing before this can be saved:' : `${count} things need fixing before this can be saved:`,
      fields,
    );
  }
}

/** The first message for each field of a failed zod parse. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[String(issue.path[0] ?? '_')] ??= issue.message;
  return fields;
}

/** Validates input with a zod schema, or throws a FormError carrying a message per field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return cleanStrings(result.data);
  throw new FormError(fieldErrors(result.error));
}

/**
 * Plain string values of a submitted form (files and the CSRF token left out), cleaned as all text
 * is (text/clean.ts), for saving and for re-showing it.
 * A field sent more than once (check boxes of one name) becomes its values one per line.
 */
export function formValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [key, raw] of Object.entries(body)) {
      // Multipart fields arrive as { type: 'field', value }; files are left out.
      const value = isMultipartField(raw) ? raw.value : raw;
      if (key === '_csrf') continue;
      if (typeof value === 'string') values[key] = cleanText(value);
      else if (Array.isArray(value)) values[key] = cleanText(value.filter((item) => typeof item === 'string').join('\n'));
    }
  }
  return values;
}

/** Turns a 400 (the input was wrong) into the state a form re-renders with; anything else is rethrown. */
export function formFailure(error: unknown, values: Record<string, string>, omit: string[] = []): FormState {
  if (!(error instanceof AppError) || error.status !== 400) throw error;
  const kept = Object.fromEntries(Object.entries(values).filter(([key]) => !omit.includes(key)));
  const carried = error instanceof FormError ? error.kept : {};
  return { values: { ...kept, ...carried }, errors: error.fields, message: error.message };
}

function isMultipartField(value: unknown): value is { type: 'field'; value: unknown } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'field';
}
