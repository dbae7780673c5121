import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

type Store = FastifyRateLimitStore;
type Counted = { current: number; ttl: number };
type RouteOptions = Parameters<Store['child']>[0];

/** Counters kept in memory at most: past this, the oldest go (a flood of addresses cannot grow the map). */
const LOCAL_KEYS = 10_000;

/**
 * Counts in Redis while it answers, and in this process's memory the moment it does not, so limits
 * never switch off and no request waits on a dead connection. Counting returns to Redis when it is back.
 * Both counters are fixed windows that start at a key's first request, as the plugin's own are.
 */
export function redisWithFallback(redis: Redis, log: FastifyBaseLogger): FastifyRateLimitStoreCtor {
  watchConnection(redis, log);
  return class FallbackStore implements Store {
    private readonly local = new Map<string, { current: number; endsAt: number }>();
    constructor(
      _options: FastifyRateLimitOptions,
      private readonly prefix = 'oak-rate-limit:',
    ) {}
    incr(...[key, done, timeWindow]: Parameters<Store['incr']>) {
      const countLocally = () => done(null, this.countLocally(this.prefix + key, timeWindow));
      if (redis.status !== 'ready') return countLocally();
      countInRedis(redis, this.prefix + key, timeWindow).then((counted) => done(null, counted), countLocally);
    }
    child(route: RouteOptions): Store {
      return new FallbackStore({}, `${this.prefix}${route.method}${route.url}-`);
    }
    private countLocally(key: string, timeWindow: number): Counted {
      const now = Date.now();
      let entry = this.local.get(key);
      if (!entry || entry.endsAt <= now) entry = { current: 0, endsAt: now + timeWindow };
      entry.current += 1;
      // Re-inserted, so the map's order is oldest use first.
      this.local.delete(key);
      this.local.set(key, entry);
      if (this.local.size > LOCAL_KEYS) this.local.delete(this.local.keys().next().value as string);
      return { current: entry.current, ttl: entry.endsAt - now };
    }
  };
}

// One round trip, atomic: the window starts with the key's first count and ends with its expiry.
const COUNT = `local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {current, ttl}`;

async function countInRedis(redis: Redis, key: string, timeWindow: number): Promise<Counted> {
  const [current, ttl] = (await redis.eval(COUNT, 1, key, String(timeWindow))) as [number, number];
  return { current, ttl };
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
