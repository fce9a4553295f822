// A rate limit store on Redis: the fixed-window counters of every instance in one place, so a
// caller's limit holds across the fleet. Key: <prefix>rl:<caller>:<window start ms>, expiring
// with its window.
import { redisCommands, type RedisConnectOptions } from './redis.js'

/**
 * The token server's rate limit store interface (`RateLimitStore` of `token007/server`), restated
 * here so that the registry does not depend on the server.
 */
export interface RateLimitCounter {
  hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }>
}

/** Options of {@link createRedisRateLimitStore}: `url` or `client`, as for the registry. */
export interface RedisRateLimitStoreOptions extends RedisConnectOptions {
  /** Prefix of every key (default `'token007:'`). */
  prefix?: string
}

/** A rate limit store on Redis, with `close()` for the connection it opened. */
export interface RedisRateLimitStore extends RateLimitCounter {
  close(): Promise<void>
}

const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`

/**
 * Counts requests in Redis. A store that cannot answer rejects (`RegistryUnavailable`), and the
 * server refuses the request with 503: limits are never skipped silently.
 *
 * @example
 * ```ts
 * createTokenServer({ ...options, rateLimit: { limit: 100, window: '1m', callers: 'all',
 *   store: createRedisRateLimitStore({ url: process.env.REDIS_URL }) } })
 * ```
 */
export function createRedisRateLimitStore(
  options: RedisRateLimitStoreOptions,
): RedisRateLimitStore {
  const prefix = options.prefix ?? 'token007:'
  const { script, close } = redisCommands(options)
  return {
    async hit(key, windowMs, now) {
      const start = now - (now % windowMs)
      const count = await script(
        HIT,
        [`${prefix}rl:${key}:${start}`],
        [String(windowMs + 1000)],
        'rate limit',
      )
      return { count: Number(count), resetAt: start + windowMs }
    },
    close,
  }
}
