import helmet from 'helmet';

type HelmetOptions = Parameters<typeof helmet>[0];

/**
 * The response headers helmet would set, computed once. Helmet is built to run per request (and
 * rebuilds its policy strings each time); ours never change while the process runs.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let done = false;
  helmet(options)({} as never, response as never, () => {
    done = true;
  });
  if (!done) throw new Error('helmet did not finish synchronously');
  return headers;
}
