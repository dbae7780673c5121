import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** An empty variable (`PORT= npm start`) means the default, as if it were unset. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const PORT_RULE = 'PORT must be a whole number from 0 to 65535, such as 3000';

const GRACE_RULE = 'SHUTDOWN_GRACE_SECONDS must be a whole number of seconds from 1 to 600';

const EnvSchema = z.object({
  PORT: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d{1,5}$/, PORT_RULE)
      .transform(Number)
      .refine((port) => port <= 65535, PORT_RULE)
      .default(3000),
  ),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  DATA_DIR: z.preprocess(unsetIfEmpty, z.string().default('./data')),
  DATABASE_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)')
      .optional(),
  ),
  PUBLIC_URL: z.preprocess(
    unsetIfEmpty,
    z.url({ protocol: /^https?$/, error: 'PUBLIC_URL must be a full address such as https://stories.example.org' }).optional(),
  ),
  REDIS_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// URL')
      .optional(),
  ),
  TRUST_PROXY: z.preprocess(unsetIfEmpty, z.string().optional()).transform((value, ctx) => {
    const trust = parseTrustProxy(value);
    if (trust === null) {
      ctx.addIssue({ code: 'custom', message: TRUST_PROXY_RULE });
      return z.NEVER;
    }
    return trust;
  }),
  SMTP_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^smtps?:\/\//, 'SMTP_URL must be an smtp:// or smtps:// URL, such as smtp://user:pass@mail.example.org:587')
      .optional(),
  ),
  MAIL_FROM: z.preprocess(unsetIfEmpty, z.string().max(200).optional()),
  S3_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(
        /^https?:\/\/[^:/@]+:[^@/]+@[^/]+\/[^/?]+/,
        'S3_URL must be an http(s) URL with keys and a bucket, such as https://ACCESS_KEY:SECRET@s3.example.org/bucket?region=eu-west-1',
      )
      .optional(),
  ),
  FEDERATION_PRIVATE_ADDRESSES: z.preprocess(
    unsetIfEmpty,
    z.enum(['allow', 'deny'], { error: 'FEDERATION_PRIVATE_ADDRESSES must be allow or deny' }).default('deny'),
  ),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
  LOG_FORMAT: z.enum(['text', 'json'], { error: 'LOG_FORMAT must be text or json' }).default('text'),
  SHUTDOWN_GRACE_SECONDS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d{1,3}$/, GRACE_RULE)
      .transform(Number)
      .refine((seconds) => seconds >= 1 && seconds <= 600, GRACE_RULE)
      .default(10),
  ),
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
  /** Set → accounts may add an e-mail address, and mail goes out through this server; unset → no mail features. */
  smtpUrl: string | undefined;
  /** Set → covers and other stored files live in this S3-compatible bucket; unset → under DATA_DIR/files. */
  s3Url: string | undefined;
  /** Fetch ActivityPub documents from private and loopback addresses: only for testing two archives on one machine. */
  federationPrivateAddresses: boolean;
  /** The From of every mail: MAIL_FROM, or the archive's name at PUBLIC_URL's host. */
  mailFrom: string;
  sessionSecret: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** `text`: one readable line per event, for a terminal; `json`: pino's lines, for log shippers. */
  logFormat: 'text' | 'json';
  /** Secure cookies only when the archive is served over TLS. */
  secureCookies: boolean;
  /** How long `oak serve` lets requests in flight finish after SIGTERM before it cuts their connections. */
  shutdownGraceMs: number;
};

export class ConfigError extends Error {}

/** Reads the environment once; nothing else in the program looks at process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    // One sentence per wrong variable, each naming the variable and what it must be.
    const problems = parsed.error.issues.map((issue) => issue.message.replace(/\.?$/, '.'));
    throw new ConfigError(problems.join(' '));
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  // Private: it holds the database, the session secret and unpublished covers.
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigError(
      `Cannot create DATA_DIR ${dataDir} (${(error as NodeJS.ErrnoException).code}); point DATA_DIR at a folder you may write to.`,
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY,
    redisUrl: e.REDIS_URL,
    smtpUrl: e.SMTP_URL,
    s3Url: e.S3_URL,
    federationPrivateAddresses: e.FEDERATION_PRIVATE_ADDRESSES === 'allow',
    mailFrom: e.MAIL_FROM ?? `Golden Oak <noreply@${e.PUBLIC_URL ? new URL(e.PUBLIC_URL).hostname : 'localhost'}>`,
    sessionSecret: e.SESSION_SECRET ?? sessionSecretIn(dataDir),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    secureCookies: e.PUBLIC_URL?.startsWith('https://') ?? false,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
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
