// The per-caller rate limit: counts each request of a limited caller in the configured store and
// refuses those over the limit with 429 and Retry-After. A store that cannot count fails closed.
import type { MiddlewareHandler } from 'hono'
import type { ServerEnv } from './auth.js'
import { HttpError } from './errors.js'
import type { Identity } from './identity.js'
import type { ResolvedRateLimit } from './options.js'

/** Whether the limit applies to this caller: API-key callers are trusted backends by default. */
export function isLimited(limit: ResolvedRateLimit, identity: Identity): boolean {
  return limit.callers === 'all' || identity.kind !== 'api-key'
}

/** The rate-limit middleware; it runs after authentication (it keys on the identity). */
export function rateLimiting(
  limit: ResolvedRateLimit | undefined,
  now: () => number,
): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const identity = c.get('identity')
    if (limit === undefined || !isLimited(limit, identity)) return next()
    const at = now()
    let hit: Awaited<ReturnType<typeof limit.store.hit>>
    try {
      hit = await limit.store.hit(`rate:${identity.id}`, limit.windowMs, at)
    } catch {
      throw new HttpError(503, 'ERR_UNAVAILABLE', 'the rate limit store is unavailable')
    }
    if (hit.count > limit.limit) {
      const retryAfter = Math.max(1, Math.ceil((hit.resetAt - at) / 1000))
      throw new HttpError(
        429,
        'ERR_RATE_LIMITED',
        `more than ${limit.limit} requests in ${limit.windowMs / 1000} s; retry after ${retryAfter} s`,
        { 'Retry-After': String(retryAfter) },
      )
    }
    return next()
  }
}
