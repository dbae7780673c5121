import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)')
      .optional(),
  ),
  PUBLIC_URL: z.url().optional(),
  REDIS_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// URL')
      .optional(),
  ),
  TRUST_PROXY: z
    .preprocess((value) => (value === '' ? undefined : value), z.string().optional())
    .transform((value, ctx) => {
      const trust = parseTrustProxy(value);
      if (trust === null) {
        ctx.addIssue({ code: 'custom', message: TRUST_PROXY_RULE });
        return z.NEVER;
      }
      return trust;
    }),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  /** Unset means SQLite at `${dataDir}/oak.sqlite`. */
  databaseUrl: string | undefined;
  publicUrl: string | undefined;
  /** Proxies whose X-Forwarded-* headers are believed: a hop count, a list of addresses, or none (false). */
  trustProxy: number | string | false;
  /** Set → rate-limit counters live in Redis, shared by every web process; unset → in memory. */
  redisUrl: string | undefined;
  sessionSecret: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Secure cookies only when the archive is served over TLS. */
  secureCookies: boolean;
};

export class ConfigError extends Error {}

/** Reads the environment once; nothing else in the program looks at process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  // Private: it holds the database, the session secret and unpublished covers.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY,
    redisUrl: e.REDIS_URL,
    sessionSecret: e.SESSION_SECRET ?? sessionSecretIn(dataDir),
    logLevel: e.LOG_LEVEL,
    secureCookies: e.PUBLIC_URL?.startsWith('https://') ?? false,
  };
}

/** A secret generated on first start and kept in DATA_DIR, so restarts keep sessions valid. */
function sessionSecretIn(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

const TRUST_PROXY_RULE =
  'TRUST_PROXY must be the number of proxies in front of the archive (e.g. 1) or a comma-separated list of their addresses (e.g. 127.0.0.1,10.0.0.0/8).';

/** Unset → trust no proxy; a number → that many hops; else a list of IPs or CIDR ranges. Null when malformed. */
function parseTrustProxy(value: string | undefined): number | string | false | null {
  if (value === undefined) return false;
  if (/^\d{1,2}$/.test(value.trim())) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const valid = entries.every((entry) => {
    const [address = '', bits, ...rest] = entry.split('/');
    if (rest.length > 0 || isIP(address) === 0) return false;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128));
  });
  return valid && entries.length > 0 ? entries.join(',') : null;
}
