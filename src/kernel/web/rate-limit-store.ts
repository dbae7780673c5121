import { createRequire } from 'node:module';
import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

// The plugin's own stores, so counting works exactly as it documents; it ships them as CommonJS files.
const require = createRequire(import.meta.url);
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js');
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js');

type Store = FastifyRateLimitStore;
type Flags = { continueExceeding?: boolean; exponentialBackoff?: boolean };

/**
 * Counts in Redis while it answers, and in this process's memory the moment it does not, so limits
 * never switch off and no request waits on a dead connection. Counting returns to Redis when it is back.
 */
export function redisWithFallback(redis: Redis, log: FastifyBaseLogger): FastifyRateLimitStoreCtor {
  watchConnection(redis, log);
  return class FallbackStore implements Store {
    private readonly shared: Store;
    private readonly local: Store;
    constructor(params: FastifyRateLimitOptions & Flags, stores?: [Store, Store]) {
      [this.shared, this.local] = stores ?? [
        new RedisStore(params.continueExceeding, params.exponentialBackoff, redis, 'oak-rate-limit:'),
        new LocalStore(params.continueExceeding, params.exponentialBackoff),
      ];
    }
    incr(...[key, cb, timeWindow, max]: Parameters<Store['incr']>) {
      if (redis.status !== 'ready') return this.local.incr(key, cb, timeWindow, max);
      this.shared.incr(key, (error, result) => (error ? this.local.incr(key, cb, timeWindow, max) : cb(null, result)), timeWindow, max);
    }
    child(options: Parameters<Store['child']>[0]): Store {
      return new FallbackStore({}, [this.shared.child(options), this.local.child(options)]);
    }
  };
}

/** One warning when Redis goes away and one line when it returns, instead of an error per retry. */
function watchConnection(redis: Redis, log: FastifyBaseLogger) {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn(`Redis is unreachable (${error.message}); counting rate limits in memory until it returns.`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.warn('Redis is back; rate limits are shared again.');
  });
}
