/**
 * The one error type that maps to an HTTP status and a message a person can act on.
 * `fields` carries per-field messages so a form can show them beside the field.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'Page') => new AppError(404, `${what} not found.`);
export const forbidden = (message = 'You may not do that.') => new AppError(403, message);
export const badRequest = (message: string, fields: Record<string, string> = {}) => new AppError(400, message, fields);
