import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export type FormFields = Record<string, string | { filename: string; contentType: string; bytes: Buffer }>;

/** Acts like a browser: keeps cookies, reads the CSRF token from the form it was shown, posts forms. */
export class Agent {
  readonly cookies = new Map<string, string>();
  /** Sent with every request, e.g. a forged X-Forwarded-For. */
  headers: Record<string, string> = {};
  /** Who the harness logged in as (their password is `${username}-password`), when it did. */
  username: string | null = null;

  constructor(
    private readonly app: FastifyInstance,
    readonly remoteAddress: string,
  ) {}

  private cookieHeader(): string {
    // Values are kept decoded; a browser sends them back as the server encoded them.
    return [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
  }

  private remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < Date.now()) || cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  /** Follows a permanent redirect (an address without its slug) as a browser would; other redirects are returned. */
  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const response = this.remember(
      await this.app.inject({
        method: 'GET',
        url,
        remoteAddress: this.remoteAddress,
        headers: { cookie: this.cookieHeader(), accept: 'text/html', ...this.headers, ...headers },
      }),
    );
    return response.statusCode === 301 ? this.get(String(response.headers.location), headers) : response;
  }

  /** The CSRF token in the first form on a page, as a person would submit it. */
  async csrfFrom(pageUrl: string): Promise<string> {
    const page = await this.get(pageUrl);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`no CSRF token on ${pageUrl} (status ${page.statusCode})`);
    return token;
  }

  /**
   * Posts a form as a browser would after loading `pageUrl`: its token first, then the fields,
   * multipart when the page's form for `action` says so (or a file is attached), else url-encoded.
   */
  async submit(pageUrl: string, action: string, fields: FormFields, options: { csrf?: string | false; multipart?: boolean } = {}) {
    const page = await this.get(pageUrl);
    const csrf = options.csrf === undefined ? /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] : options.csrf;
    // A form without a token (the reading settings) is posted without one, as a browser would.
    const all: FormFields = csrf ? { _csrf: csrf, ...fields } : fields;
    // The page's form may name the address with slugs (`/stories/12-title`); the test may not.
    const pattern = action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\/(\d+)(?=\/|$)/g, '/$1(?:-[^/"]*)?');
    const form = new RegExp(`<form[^>]*action="${pattern}"[^>]*>`).exec(page.body)?.[0] ?? '';
    // Where the page has no such form (a stranger's view), the test says how the real form is encoded.
    return this.post(action, all, { multipart: options.multipart || form.includes('multipart/form-data') });
  }

  async post(url: string, fields: FormFields, options: { multipart?: boolean } = {}) {
    const multipart = options.multipart || Object.values(fields).some((value) => typeof value !== 'string');
    const { body, contentType } = multipart ? multipartBody(fields) : urlEncoded(fields);
    const response = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.remoteAddress,
      headers: { cookie: this.cookieHeader(), 'content-type': contentType, accept: 'text/html', ...this.headers },
      payload: body,
    });
    return this.remember(response);
  }
}

function urlEncoded(fields: FormFields) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (typeof value === 'string') params.append(name, value);
  return { body: params.toString(), contentType: 'application/x-www-form-urlencoded' };
}

function multipartBody(fields: FormFields) {
  const boundary = `----oak${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    } else {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.filename}"\r\nContent-Type: ${value.contentType}\r\n\r\n`,
        ),
        value.bytes,
        Buffer.from('\r\n'),
      );
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
