// token007 serve's registry: Redis when --redis (or TOKEN007_REDIS_URL) names one, shared by the
// fleet together with the rate limit counters; the memory registry otherwise. Admin keys come from
// TOKEN007_ADMIN_API_KEYS only (a process list shows flags).
import { createRedisRegistry } from '../registry/redis.js'
import { createRedisRateLimitStore } from '../registry/redis-rate-limit-store.js'
import { parseRateLimit, type RateLimitOptions, type TokenServerOptions } from '../server/index.js'
import type { Io } from './io.js'
import { UsageError } from './usage.js'

/** The flag this file adds to `token007 serve`. */
export const REGISTRY_FLAGS = { redis: { type: 'string' } } as const

/** The help lines of the registry's flag and variables. */
export const REGISTRY_HELP = {
  options: `  --redis <url>         keep the token registry and rate limits in Redis, shared by every
                        instance (or TOKEN007_REDIS_URL); without it, in this process's memory`,
  environment: `  TOKEN007_ADMIN_API_KEYS               keys for the admin routes (GET /tokens, GET and
                                        DELETE /tokens/:id, POST /revocations), comma-separated
  TOKEN007_REDIS_URL                    redis://host:port for the registry (as --redis)`,
}

/** The server options the registry adds, what to log about it, and how to release it. */
export interface ServeRegistry {
  options: Pick<TokenServerOptions, 'registry' | 'adminApiKeys' | 'rateLimit'>
  /** For the `listening` log line: where the registry lives (never the URL's password). */
  describe: { registry: string; adminKeys: number }
  close(): Promise<void>
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}`
  } catch {
    return 'redis'
  }
}

/** Sets up the registry for `serve` from the --redis flag and the environment. */
export function serveRegistry(
  redisFlag: string | undefined,
  rateLimit: TokenServerOptions['rateLimit'],
  io: Io,
): ServeRegistry {
  const adminText = io.env.TOKEN007_ADMIN_API_KEYS?.trim()
  const adminApiKeys = adminText
    ? adminText
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : undefined
  for (const key of adminApiKeys ?? []) io.secret(key)
  const url = redisFlag ?? io.env.TOKEN007_REDIS_URL?.trim()
  if (!url) {
    return {
      options: adminApiKeys ? { adminApiKeys } : {},
      describe: {
        registry: 'memory (this process only; pass --redis to share it)',
        adminKeys: adminApiKeys?.length ?? 0,
      },
      close: async () => {},
    }
  }
  if (!/^rediss?:\/\/\S+$/.test(url)) throw new UsageError('--redis: expected redis://host:port')
  const parsed = new URL(url)
  if (parsed.password) io.secret(decodeURIComponent(parsed.password))
  const registry = createRedisRegistry({ url })
  const store = createRedisRateLimitStore({ url })
  let limits: TokenServerOptions['rateLimit']
  if (rateLimit === undefined) {
    limits = { limit: 120, window: '1m', callers: 'end-users', store }
  } else if (typeof rateLimit === 'string') {
    const parsedLimit: RateLimitOptions | undefined = parseRateLimit(rateLimit, '--rate-limit')
    limits = parsedLimit === undefined ? false : { ...parsedLimit, store }
  } else {
    limits = rateLimit
  }
  return {
    options: { registry, rateLimit: limits, ...(adminApiKeys ? { adminApiKeys } : {}) },
    describe: { registry: `redis ${redactedUrl(url)}`, adminKeys: adminApiKeys?.length ?? 0 },
    async close() {
      await Promise.all([registry.close(), store.close()])
    },
  }
}
