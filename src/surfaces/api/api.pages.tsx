import { renderToString } from 'preact-render-to-string';
import type { ENDPOINTS } from './openapi.ts';

/** The API's reference page: every endpoint, what it needs, and where the machine-readable document is. */
export function ApiReferencePage({ endpoints }: { endpoints: typeof ENDPOINTS }): string {
  return renderToString(
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Golden Oak API</title>
      </head>
      <body style="font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">
        <h1>Golden Oak API, version 1</h1>
        <p>
          JSON over HTTPS under <code>/api/v1</code>. Reads need nothing; writes need a personal access token with the <code>write</code>{' '}
          scope (Settings → API tokens), sent as <code>Authorization: Bearer oak_…</code>. Errors are <code>application/problem+json</code>{' '}
          (RFC 9457); responses carry <code>ETag</code> and <code>RateLimit-*</code> headers. The full description:{' '}
          <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI 3.1).
        </p>
        {endpoints.map((endpoint) => (
          <section>
            <h2>
              <code>
                {endpoint.method.toUpperCase()} /api/v1{endpoint.path}
              </code>
            </h2>
            <p>
              {endpoint.summary} {endpoint.access === 'write' ? 'Needs a token with the write scope.' : 'Open to all.'}
            </p>
            {endpoint.query && (
              <ul>
                {endpoint.query.map((q) => (
                  <li>
                    <code>{q.name}</code>: {q.description}
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))}
      </body>
    </html>,
  );
}
