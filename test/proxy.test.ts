import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/kernel/config.ts';
import { createHarness, type Harness } from './harness.ts';
import { freePort } from './ports.ts';

const NGINX = '/usr/sbin/nginx';
if (process.env.CI === 'true' && !existsSync(NGINX)) throw new Error('CI=true requires nginx: the proxy suite may not be skipped.');

/**
 * Eleven log-in attempts, each with its own forged X-Forwarded-For and its own account name (so the
 * limit per account never answers for the limit per address); returns the statuses.
 */
async function guesses(h: Harness, remoteAddress: string, forwardedFor: (i: number) => string) {
  const statuses: number[] = [];
  const agent = h.agent();
  const csrf = await agent.csrfFrom('/login');
  for (let i = 0; i < 11; i++) {
    const response = await h.app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress,
      headers: {
        cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': forwardedFor(i),
      },
      payload: new URLSearchParams({ _csrf: csrf, username: `nobody-${i}`, password: `guess ${i}` }).toString(),
    });
    statuses.push(response.statusCode);
  }
  return statuses;
}
const limited = [...Array(10).fill(400), 429];

describe('forwarded addresses are believed only from configured proxies', () => {
  const harnesses: Harness[] = [];
  const harness = async (env: Record<string, string>) => {
    const h = await createHarness('sqlite', undefined, env);
    harnesses.push(h);
    return h;
  };
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  it('ignores X-Forwarded-For by default, even behind an https PUBLIC_URL', async () => {
    const h = await harness({ PUBLIC_URL: 'https://oak.example' });
    expect(await guesses(h, '10.1.1.1', (i) => `203.0.113.${i}`)).toEqual(limited);
  });

  it('with a hop count, takes the address the last proxy saw', async () => {
    const h = await harness({ TRUST_PROXY: '1' });
    // The client forges the left part; the proxy appends the real address on the right.
    expect(await guesses(h, '127.0.0.1', (i) => `203.0.113.${i}, 198.51.100.7`)).toEqual(limited);
    expect(await guesses(h, '127.0.0.1', () => '198.51.100.8')).toEqual(limited);
  });

  it('with a list, believes only those addresses', async () => {
    const h = await harness({ TRUST_PROXY: '10.9.9.9, 192.168.0.0/16' });
    expect(await guesses(h, '10.2.2.2', (i) => `203.0.113.${i}`)).toEqual(limited);
    expect(await guesses(h, '192.168.4.4', () => '198.51.100.9')).toEqual(limited);
    expect((await guesses(h, '192.168.4.4', () => '198.51.100.10'))[0]).toBe(400);
  });

  it.each(['true', 'everyone', '10.0.0.0/99', '1.2.3'])('refuses TRUST_PROXY=%s with a plain sentence', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value, DATA_DIR: mkdtempSync(join(tmpdir(), 'oak-cfg-')) })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: value, DATA_DIR: mkdtempSync(join(tmpdir(), 'oak-cfg-')) })).toThrow(/number of proxies/);
  });
});

type Reply = { status: number; body: string; cookies: string[] };
/** A request from a chosen loopback address, so one machine can play several clients. */
function send(port: number, from: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, localAddress: from, method: options.body ? 'POST' : 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cookies: res.headers['set-cookie'] ?? [] }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe.skipIf(!existsSync(NGINX))('behind nginx with $proxy_add_x_forwarded_for', () => {
  let h: Harness;
  let nginx: ReturnType<typeof spawn>;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'oak-nginx-'));

  beforeAll(async () => {
    h = await createHarness('sqlite', undefined, { TRUST_PROXY: '127.0.0.1' });
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const upstream = (h.app.server.address() as AddressInfo).port;
    port = await freePort();
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off; master_process off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://127.0.0.1:${upstream};
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`,
    );
    nginx = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      if (
        await send(port, '127.0.0.1', '/healthz').then(
          (r) => r.status === 200,
          () => false,
        )
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('nginx did not start');
  });
  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Eleven forged log-in attempts from one client address, through nginx. */
  async function attack(from: string) {
    const page = await send(port, from, '/login');
    const cookie = page.cookies.map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const body = new URLSearchParams({ _csrf: csrf, username: `nobody-${i}`, password: `guess ${i}` }).toString();
      const headers = { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `203.0.113.${i}` };
      statuses.push((await send(port, from, '/login', { body, headers })).status);
    }
    return statuses;
  }

  it('keys the limit on the client nginx saw, not on the header the client forged', async () => {
    expect(await attack('127.0.0.2')).toEqual(limited);
    // Another client behind the same proxy still has its own allowance.
    expect((await attack('127.0.0.3'))[0]).toBe(400);
  });
});
