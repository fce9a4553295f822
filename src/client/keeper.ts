/**
 * `createTokenKeeper`: holds a token, renews it before it runs out, retries a failing token
 * server with backoff, and never swaps in a token for another identity.
 *
 * @module
 */
import { decodeToken } from '../decode.js'
import { InvalidArgument } from '../errors.js'
import type { DecodedToken } from '../types.js'
import { fullJitterDelay } from './backoff.js'
import { ClockSkewDetected, TokenKeeperStopped } from './errors.js'
import { identityMismatch } from './identity.js'
import { placeToken } from './lifetime.js'
import { describe, readConfig } from './options.js'
import { MAX_TIMER_MS, type SetTimer } from './timers.js'

/** What the keeper passes to {@link TokenKeeperOptions.fetchToken}. */
export interface FetchTokenContext {
  /** Aborted when the keeper is stopped; pass it to `fetch` so a stopped keeper leaves no request. */
  signal: AbortSignal
}

/** What {@link TokenKeeperOptions.onError} learns about a failure besides the error. */
export interface TokenKeeperErrorInfo {
  /** The number of the fetch attempt in the current run of failures (1 for the first). */
  attempt: number
  /** Whether the keeper will try again on its own after a backoff delay. */
  willRetry: boolean
}

/** Retry policy of {@link TokenKeeperOptions.retry}. */
export interface TokenKeeperRetryOptions {
  /**
   * Fetch attempts in a run of failures before the keeper waits for the next `getToken()` or
   * `refresh()`: an integer >= 1, or `Infinity` (the default: keep trying until stop()).
   */
  attempts?: number
  /** The wait cap after the first failure: ms or a string such as `'1s'`. Default 1 s. */
  baseDelay?: number | string
  /** The largest wait cap: ms or a string such as `'30s'`. Default 30 s. */
  maxDelay?: number | string
}

/** Options of {@link createTokenKeeper}. */
export interface TokenKeeperOptions {
  /**
   * The app's call to its token server; resolves to the token string. Called again for each
   * renewal; never called twice at once.
   *
   * @example
   * ```ts
   * async ({ signal }) => {
   *   const res = await fetch('/token', { method: 'POST', body: '{"type":"rtc"}', signal })
   *   if (!res.ok) throw new Error(`token server: ${res.status}`)
   *   return (await res.json()).token
   * }
   * ```
   */
  fetchToken: (context: FetchTokenContext) => Promise<string>
  /**
   * How long before the token (or its earliest privilege) expires to renew it: a fraction of
   * its lifetime between 0 and 1 (`0.2`), or a duration string (`'30s'`, `'2m'`). Default: the
   * smaller of 20% of the lifetime and 60 s. A token is always used for at least half of the
   * time it had left when it arrived.
   */
  refreshBefore?: number | string
  /**
   * Called with each new token and its decoded form (not verified: decoding needs no
   * certificate), before `getToken()` callers receive it: hand it to the SDK's `renewToken`.
   * An exception it throws goes to `onError`.
   */
  onToken?: (token: string, decoded: DecodedToken) => void
  /**
   * Called with every failure: the error `fetchToken` threw (unchanged), a `TokenError` for a
   * fetched value that is not a usable token (`ERR_INVALID_ARGUMENT`, `ERR_TOKEN_MALFORMED`,
   * `ERR_TOKEN_EXPIRED`, ...), `ERR_TOKEN_RENEWAL_MISMATCH` for a token of another identity, and
   * once `ERR_CLOCK_SKEW`. Default: `console.warn`. An exception it throws is rethrown on a
   * microtask, outside the keeper.
   */
  onError?: (error: unknown, info: TokenKeeperErrorInfo) => void
  /** Backoff after failed fetches (exponential, full jitter). */
  retry?: TokenKeeperRetryOptions
  /** The local clock in Unix ms. Default `Date.now`. For tests. */
  now?: () => number
  /**
   * Runs a callback once after a delay in ms and returns its cancel function. Default: an unref'd
   * `setTimeout` (the keeper never keeps a process alive). For tests.
   */
  setTimer?: SetTimer
  /** A random number in [0, 1) for the backoff jitter. Default `Math.random`. For tests. */
  random?: () => number
}

/** A running token keeper; see {@link createTokenKeeper}. */
export interface TokenKeeper {
  /**
   * The current token while it is valid; otherwise fetches one, shared by every concurrent
   * caller (one request). Rejects with the last fetch error when there is no valid token and
   * fetching fails, and with `ERR_KEEPER_STOPPED` after `stop()`.
   */
  getToken(): Promise<string>
  /**
   * Fetches a new token now (for the SDK's `onTokenPrivilegeWillExpire`), or joins the fetch
   * in flight; resolves with the new token, rejects with the failure (also sent to `onError`).
   */
  refresh(): Promise<string>
  /** Cancels timers and an in-flight fetch; nothing runs afterwards. Pending calls reject. */
  stop(): void
}

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
 *   fetchToken: () => fetch('/token', { method: 'POST' }).then((r) => r.json()).then((b) => b.token),
 *   onToken: (token) => client.renewToken(token),
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
        `fetchToken() resolved to ${describe(value)}; expected the token string (when the token server answers JSON, return its token field)`,
      )
    }
    const decoded = decodeToken(value)
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
          `the token server's clock is ${Math.abs(seconds)} s ${seconds > 0 ? 'ahead of' : 'behind'} this device's; renewals are timed by the token's lifetime instead of its expiry time`,
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
    return new TokenKeeperStopped(`${call} was called after the token keeper was stopped`)
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
        attempt.reject(
          new TokenKeeperStopped('the token keeper was stopped while a token was being fetched'),
        )
      }
    },
  }
}
