/**
 * The public types of `token007/client`: the keeper's options, its callbacks' arguments, and the
 * keeper itself.
 *
 * @module
 */
import type { DecodedToken } from '../index.js'
import type { SetTimer } from './timers.js'

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
