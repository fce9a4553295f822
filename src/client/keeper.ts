/**
 * `createTokenKeeper`: holds a token, renews it before it runs out, retries a failing token
 * server with backoff, and never swaps in a token for another identity.
 *
 * @module
 */
import { type DecodedToken, InvalidArgument } from '../index.js'
import { fullJitterDelay } from './backoff.js'
import { readToken } from './decode/index.js'
import { ClockSkewDetected, TokenKeeperStopped } from './errors.js'
import { identityMismatch } from './identity.js'
import { placeToken } from './lifetime.js'
import { describe, readConfig } from './options.js'
import { MAX_TIMER_MS } from './timers.js'
import type { TokenKeeper, TokenKeeperOptions } from './types.js'

interface Held {
  token: string
  decoded: DecodedToken
  endMs: number
  refreshAtMs: number
}

interface Attempt {
  number: number
  promise: Promise<string>
  resolve: (token: string) => void
  reject: (error: unknown) => void
  controller: AbortController
}

const ignore = () => {}

/**
 * Creates a keeper that fetches a token on first use, renews it ahead of expiry (timed from the
 * token itself: its issue time, lifetime and the earliest privilege expiry), retries failures
 * with exponential backoff and full jitter, keeps the old token while it is valid, and refuses
 * a renewed token for another app, service, channel or uid.
 *
 * @example
 * ```ts
 * import { createTokenKeeper } from 'token007/client'
 *
 * const keeper = createTokenKeeper({
 *   fetchToken: async ({ signal }) => {
 *     const response = await fetch('/token', { method: 'POST', headers, body, signal })
 *     if (!response.ok) throw new Error(`token server: ${response.status}`)
 *     return (await response.json()).token
 *   },
 *   onToken: (token) => client.renewToken(token).catch(() => {}),
 *   onError: (error, { willRetry }) => console.warn('token renewal failed', error, { willRetry }),
 * })
 * await client.join(appId, channel, await keeper.getToken(), uid)
 * client.on('token-privilege-will-expire', () => keeper.refresh().catch(() => {}))
 * ```
 * @throws {InvalidArgument} `ERR_INVALID_ARGUMENT` for a missing `fetchToken` or a bad option
 */
export function createTokenKeeper(options: TokenKeeperOptions): TokenKeeper {
  const config = readConfig(options)
  let held: Held | undefined
  let pending: Attempt | undefined
  let failures = 0
  let lastError: unknown
  let retryPending = false
  let cancelTimer: (() => void) | undefined
  let timerId = 0
  let skewReported = false
  let stopped = false

  function report(error: unknown, attempt: number, willRetry: boolean): void {
    try {
      config.onError(error, { attempt, willRetry })
    } catch (thrown) {
      queueMicrotask(() => {
        throw thrown
      })
    }
  }

  function clearTimer(): void {
    timerId++
    cancelTimer?.()
    cancelTimer = undefined
  }

  /** Runs `action` once the local clock reaches `timeMs` (one timer at a time). */
  function runAt(timeMs: number, action: () => void): void {
    clearTimer()
    const id = timerId
    const wait = Math.min(Math.max(0, timeMs - config.now()), MAX_TIMER_MS)
    cancelTimer = config.setTimer(() => {
      if (stopped || id !== timerId) return
      cancelTimer = undefined
      // Long waits are capped and timers may fire early: wait again until the time has come.
      if (config.now() < timeMs) runAt(timeMs, action)
      else action()
    }, wait)
  }

  function renew(): void {
    if (!pending && !stopped) startAttempt(false).catch(ignore)
  }

  function startAttempt(isRetry: boolean): Promise<string> {
    clearTimer()
    retryPending = false
    if (!isRetry) failures = 0
    let resolve!: (token: string) => void
    let reject!: (error: unknown) => void
    const promise = new Promise<string>((ok, fail) => {
      resolve = ok
      reject = fail
    })
    // Callers may drop the promise (a timer-driven renewal has none): failures go to onError.
    promise.catch(ignore)
    const attempt: Attempt = {
      number: failures + 1,
      promise,
      resolve,
      reject,
      controller: new AbortController(),
    }
    pending = attempt
    const startedAt = config.now()
    let fetched: Promise<string>
    try {
      fetched = Promise.resolve(config.fetchToken({ signal: attempt.controller.signal }))
    } catch (error) {
      fetched = Promise.reject(error)
    }
    fetched.then(
      (value) => finish(attempt, () => accept(value, startedAt, attempt.number)),
      (error) =>
        finish(attempt, () => {
          throw error
        }),
    )
    return promise
  }

  function finish(attempt: Attempt, produce: () => string): void {
    if (stopped || pending !== attempt) return
    pending = undefined
    let token: string
    try {
      token = produce()
    } catch (error) {
      fail(error, attempt.number)
      attempt.reject(error)
      return
    }
    attempt.resolve(token)
  }

  function accept(value: unknown, startedAt: number, attempt: number): string {
    if (typeof value !== 'string') {
      throw new InvalidArgument(
        `fetchToken() resolved to ${describe(value)}, not a token string (of a JSON answer, return its token field)`,
      )
    }
    const decoded = readToken(value)
    const placement = placeToken(decoded, startedAt, config.now(), config.refreshBefore)
    const mismatch = held && identityMismatch(held.decoded, decoded)
    if (mismatch) throw mismatch
    held = { token: value, decoded, endMs: placement.endMs, refreshAtMs: placement.refreshAtMs }
    failures = 0
    lastError = undefined
    runAt(placement.refreshAtMs, renew)
    if (placement.skewMs !== undefined && !skewReported) {
      skewReported = true
      const seconds = Math.round(placement.skewMs / 1000)
      report(
        new ClockSkewDetected(
          `the token server's clock is ${Math.abs(seconds)} s ${seconds > 0 ? 'ahead of' : 'behind'} this device's; renewals are timed by the token's lifetime`,
          placement.skewMs,
        ),
        attempt,
        false,
      )
    }
    // onError (for the skew) may have stopped the keeper: then nothing more runs.
    if (config.onToken && !stopped) {
      try {
        config.onToken(value, decoded)
      } catch (error) {
        report(error, attempt, false)
      }
    }
    return value
  }

  function fail(error: unknown, attempt: number): void {
    lastError = error
    failures = attempt
    const willRetry = attempt < config.attempts
    if (willRetry) {
      retryPending = true
      const delay = fullJitterDelay(attempt, config.baseDelayMs, config.maxDelayMs, config.random)
      runAt(config.now() + delay, () => {
        startAttempt(true).catch(ignore)
      })
    } else if (held && held.refreshAtMs > config.now()) {
      runAt(held.refreshAtMs, renew)
    }
    report(error, attempt, willRetry)
  }

  function stoppedError(call: string): TokenKeeperStopped {
    return new TokenKeeperStopped(`${call} was called after stop()`)
  }

  return {
    getToken() {
      if (stopped) return Promise.reject(stoppedError('getToken()'))
      const now = config.now()
      if (held && now < held.endMs) {
        // A late renewal timer (a sleeping laptop, a throttled background tab) is caught up here.
        if (now >= held.refreshAtMs && !retryPending) renew()
        return Promise.resolve(held.token)
      }
      if (pending) return pending.promise
      if (retryPending) return Promise.reject(lastError)
      return startAttempt(false)
    },
    refresh() {
      if (stopped) return Promise.reject(stoppedError('refresh()'))
      return pending ? pending.promise : startAttempt(false)
    },
    stop() {
      if (stopped) return
      stopped = true
      clearTimer()
      const attempt = pending
      pending = undefined
      if (attempt) {
        attempt.controller.abort()
        attempt.reject(new TokenKeeperStopped('stop() was called while a token was being fetched'))
      }
    },
  }
}
