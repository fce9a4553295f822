// Lifetimes of the typed API: the Duration strings ('90s', '1h30m', '7d'), and the limit every
// lifetime of a typed call is held to, maxLifetime (24 h by default: Agora caps a token's useful
// life there, so a longer one is usually a unit mistake).
import { InvalidArgument } from '../errors.js'
import { U32_MAX, describe, invalid } from '../lib/validate.js'
import { DAY_SECONDS, checkSeconds, looksLikeMilliseconds } from './guards.js'

/**
 * A lifetime: a number of seconds, or a string such as `'90s'`, `'30m'`, `'1h'`, `'24h'`,
 * `'7d'`, `'2w'` or `'1h30m'` (units s, m, h, d, w; a bare `'3600'` is seconds).
 *
 * @example
 * ```ts
 * const lifetime: Duration = '30m' // or 1800
 * ```
 */
export type Duration = number | string

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
}
const DURATION = /^(?:\d+[smhdw])+$/
const PART = /(\d+)([smhdw])/g

/**
 * Seconds of a {@link Duration}. A number is checked like the builders' lifetimes (an integer
 * 0..4294967295 that does not look like an absolute Unix time).
 *
 * @param path the option's name, for the error message
 * @example
 * ```ts
 * parseDuration('1h30m', 'expiresIn') // 5400
 * parseDuration(600, 'expiresIn') // 600
 * ```
 * @throws {InvalidArgument} for anything else
 */
export function parseDuration(d: Duration, path: string): number {
  return durationSeconds(d, path, true, undefined)
}

export function durationSeconds(
  d: unknown,
  path: string,
  strict: boolean,
  issueTs: number | undefined,
): number {
  if (typeof d === 'string') {
    const text = d.trim().toLowerCase()
    if (/^\d+$/.test(text)) return checkSeconds(Number(text), path, strict, issueTs)
    if (DURATION.test(text)) {
      let seconds = 0
      for (const [, amount, unit] of text.matchAll(PART)) {
        seconds += Number(amount) * UNIT_SECONDS[unit]
      }
      if (seconds <= U32_MAX) return seconds
      throw new InvalidArgument(
        `${path}: ${JSON.stringify(d)} is ${seconds} seconds; the format allows at most ${U32_MAX}`,
      )
    }
    return invalid(path, "a number of seconds or a duration such as '90s', '30m', '1h', '7d'", d)
  }
  return checkSeconds(d, path, strict, issueTs)
}

/** What a typed call's lifetimes are checked against. */
export interface Lifetimes {
  readonly strict: boolean
  readonly issueTs: number
  /** maxLifetime in seconds. */
  readonly max: number
}

/** A lifetime option: a {@link Duration} within maxLifetime. */
export function lifetimeSeconds(d: unknown, path: string, limits: Lifetimes): number {
  const seconds = durationSeconds(d, path, limits.strict, limits.issueTs)
  if (seconds > limits.max) overLimit(`${path}: ${describe(d)} is ${seconds} seconds`, d, limits)
  return seconds
}

export function overLimit(what: string, given: unknown, limits: Lifetimes): never {
  const ms =
    typeof given === 'number' && looksLikeMilliseconds(given)
      ? `; if that is milliseconds, pass ${given / 1000}`
      : ''
  const limit = limits.max === DAY_SECONDS ? '24 h, the default' : `${limits.max} seconds`
  throw new InvalidArgument(
    `${what}, more than maxLifetime (${limit}); Agora caps a token's useful life at 24 h${ms}; ` +
      'raise maxLifetime to allow a longer lifetime',
  )
}

/** maxLifetime: a deliberate choice, so it is taken as written (no absolute-time guess). */
export function maxLifetime(value: unknown): number {
  if (value === undefined) return DAY_SECONDS
  const seconds = durationSeconds(value, 'maxLifetime', false, undefined)
  if (seconds === 0) invalid('maxLifetime', 'a positive duration', value)
  return seconds
}
