// Fixed-window request counters behind a small async interface, so that a shared store (Redis)
// can replace the in-memory one and keep limits across instances.

/** The count of one key in its current window. */
export interface RateLimitHit {
  /** Requests counted in the current window, this one included. */
  count: number
  /** When the window ends, in Unix milliseconds. */
  resetAt: number
}

/**
 * Where the rate limiter counts requests. `hit` adds one request for `key` to the window of
 * `windowMs` that contains `now` and resolves to the count so far. A store that cannot answer
 * rejects; the server then refuses the request with 503 (it fails closed).
 *
 * @example
 * ```ts
 * const store: RateLimitStore = createMemoryRateLimitStore()
 * await store.hit('jwt:user-42', 60_000, Date.now()) // { count: 1, resetAt: … }
 * ```
 */
export interface RateLimitStore {
  /** Counts one request for `key` and resolves to the window's count and end. */
  hit(key: string, windowMs: number, now: number): Promise<RateLimitHit>
}

/** Options of {@link createMemoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /**
   * At most this many keys are kept (default 100,000); beyond it, expired windows are dropped
   * first, then the oldest keys. Bounds memory whatever the callers do.
   */
  maxKeys?: number
}

interface Window {
  start: number
  count: number
}

/**
 * A {@link RateLimitStore} in this process's memory: limits hold per instance.
 *
 * @example
 * ```ts
 * createTokenServer({ ...options, rateLimit: { limit: 60, window: '1m', store: createMemoryRateLimitStore() } })
 * ```
 */
export function createMemoryRateLimitStore(
  options: MemoryRateLimitStoreOptions = {},
): RateLimitStore {
  const maxKeys = options.maxKeys ?? 100_000
  if (!Number.isInteger(maxKeys) || maxKeys < 1) {
    throw new TypeError(`maxKeys: expected a positive integer, got ${String(maxKeys)}`)
  }
  const windows = new Map<string, Window>()

  function makeRoom(now: number, windowMs: number): void {
    for (const [key, w] of windows) if (w.start + windowMs <= now) windows.delete(key)
    for (const key of windows.keys()) {
      if (windows.size < maxKeys) break
      windows.delete(key)
    }
  }

  return {
    async hit(key, windowMs, now) {
      const start = now - (now % windowMs)
      let w = windows.get(key)
      if (w === undefined || w.start !== start) {
        if (w === undefined && windows.size >= maxKeys) makeRoom(now, windowMs)
        w = { start, count: 0 }
        windows.set(key, w)
      }
      w.count += 1
      return { count: w.count, resetAt: start + windowMs }
    },
  }
}
