// Reads and checks the keeper's options once, when the keeper is made: a wrong option is an
// InvalidArgument that names it, never a keeper that misbehaves later.
import { InvalidArgument } from '../index.js'
import type { TokenKeeperOptions } from './types.js'
import { type SetTimer, defaultSetTimer } from './timers.js'

/** How far ahead of expiry to renew: a fraction of the lifetime or a fixed time. */
export type RefreshBefore =
  | { kind: 'default' }
  | { kind: 'fraction'; fraction: number }
  | { kind: 'duration'; ms: number }

/** The keeper's options, checked and with their defaults filled in. */
export interface KeeperConfig {
  fetchToken: TokenKeeperOptions['fetchToken']
  refreshBefore: RefreshBefore
  onToken: TokenKeeperOptions['onToken']
  onError: NonNullable<TokenKeeperOptions['onError']>
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  now: () => number
  setTimer: SetTimer
  random: () => number
}

/** Default retry: keep trying, from about a second apart up to 30 s apart. */
export const DEFAULT_RETRY = {
  attempts: Infinity,
  baseDelay: 1000,
  maxDelay: 30_000,
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/

/** A short, safe description of a value for an error message (no token text is ever shown). */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return value.length > 24 ? 'a long string' : JSON.stringify(value)
  if (typeof value === 'number') return String(value)
  if (Array.isArray(value)) return 'an array'
  return `a value of type ${typeof value}`
}

/**
 * Milliseconds from a duration: a number of milliseconds, or a string such as `'500ms'`, `'2s'`,
 * `'1.5m'`, `'1h'`.
 */
export function durationMs(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value
  if (typeof value === 'string') {
    const match = DURATION.exec(value.trim())
    if (match) return Number(match[1]) * UNIT_MS[match[2]]
  }
  throw new InvalidArgument(
    `${path}: expected milliseconds (a number >= 0) or a duration such as '500ms', '30s', '1m', got ${describe(value)}`,
  )
}

function refreshBefore(value: unknown): RefreshBefore {
  if (value === undefined) return { kind: 'default' }
  if (typeof value === 'number') {
    if (value > 0 && value < 1) return { kind: 'fraction', fraction: value }
    throw new InvalidArgument(
      `refreshBefore: a number is a fraction of the token's lifetime, between 0 and 1 (such as 0.2); got ${value}; write a time as a string such as '30s'`,
    )
  }
  if (typeof value === 'string') return { kind: 'duration', ms: durationMs(value, 'refreshBefore') }
  throw new InvalidArgument(
    `refreshBefore: expected a fraction such as 0.2 or a duration such as '30s', got ${describe(value)}`,
  )
}

function fn<T>(value: unknown, path: string, fallback: T): T {
  if (value === undefined) return fallback
  if (typeof value !== 'function')
    throw new InvalidArgument(`${path}: expected a function, got ${describe(value)}`)
  return value as T
}

function warn(error: unknown): void {
  // Without onError a failed renewal would go unnoticed until the token ran out.
  console.warn('token007/client:', error)
}

/** Checks `options` and fills in the defaults. */
export function readConfig(options: TokenKeeperOptions): KeeperConfig {
  if (typeof options !== 'object' || options === null)
    throw new InvalidArgument(`options: expected an object, got ${describe(options)}`)
  if (typeof options.fetchToken !== 'function') {
    throw new InvalidArgument(
      `options.fetchToken: expected a function that resolves to a token string, got ${describe(options.fetchToken)}`,
    )
  }
  const retry = options.retry ?? {}
  if (typeof retry !== 'object' || retry === null)
    throw new InvalidArgument(`options.retry: expected an object, got ${describe(retry)}`)
  const attempts = retry.attempts ?? DEFAULT_RETRY.attempts
  if (
    typeof attempts !== 'number' ||
    !(attempts >= 1) ||
    !(Number.isInteger(attempts) || attempts === Infinity)
  ) {
    throw new InvalidArgument(
      `options.retry.attempts: expected an integer >= 1 or Infinity, got ${describe(attempts)}`,
    )
  }
  const baseDelayMs = durationMs(
    retry.baseDelay ?? DEFAULT_RETRY.baseDelay,
    'options.retry.baseDelay',
  )
  const maxDelayMs = durationMs(retry.maxDelay ?? DEFAULT_RETRY.maxDelay, 'options.retry.maxDelay')
  if (maxDelayMs < baseDelayMs) {
    throw new InvalidArgument(
      `options.retry.maxDelay (${maxDelayMs} ms) is shorter than options.retry.baseDelay (${baseDelayMs} ms)`,
    )
  }
  return {
    fetchToken: options.fetchToken,
    refreshBefore: refreshBefore(options.refreshBefore),
    onToken: fn(options.onToken, 'options.onToken', undefined),
    onError: fn(options.onError, 'options.onError', warn),
    attempts,
    baseDelayMs,
    maxDelayMs,
    now: fn(options.now, 'options.now', () => Date.now()),
    setTimer: fn(options.setTimer, 'options.setTimer', defaultSetTimer),
    random: fn(options.random, 'options.random', Math.random),
  }
}
