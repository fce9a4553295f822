// Times as people read them: ISO 8601 plus "in 59m" / "3d ago", and the times people type.
import { UsageError } from './usage.js'

const UNITS: ReadonlyArray<readonly [suffix: string, seconds: number]> = [
  ['y', 365 * 86_400],
  ['d', 86_400],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
]

/**
 * A span of seconds in at most two units, largest first, floored: `59m`, `1h 30m`, `3d`,
 * `2y 10d`. Seconds are dropped from spans of an hour or more, where they are noise.
 *
 * @example
 * ```ts
 * span(3570) // '59m 30s'
 * span(5400) // '1h 30m'
 * ```
 */
export function span(seconds: number): string {
  let rest = Math.floor(Math.abs(seconds))
  const parts: string[] = []
  for (const [suffix, size] of UNITS) {
    const amount = Math.floor(rest / size)
    rest -= amount * size
    if (parts.length === 0) {
      if (amount > 0) parts.push(`${amount}${suffix}`)
      continue
    }
    // Only the next smaller unit follows the largest, so seconds show only under an hour.
    if (amount > 0) parts.push(`${amount}${suffix}`)
    break
  }
  return parts.length === 0 ? '0s' : parts.join(' ')
}

/**
 * Where `atMs` lies relative to `nowMs`: `in 59m`, `3d ago`, or `now`.
 *
 * @example
 * ```ts
 * relative(Date.UTC(2030, 0, 1, 1), Date.UTC(2030, 0, 1)) // 'in 1h'
 * ```
 */
export function relative(atMs: number, nowMs: number): string {
  // To the nearest second: a token made a few milliseconds ago expires "in 1h", not "in 59m 59s".
  const seconds = Math.round((atMs - nowMs) / 1000)
  if (seconds === 0) return 'now'
  return seconds > 0 ? `in ${span(seconds)}` : `${span(seconds)} ago`
}

/**
 * The state of a deadline at `nowMs`: `expires in 59m` or `expired 3d ago`. A token is expired
 * from its expiry second on (verifyToken's rule).
 *
 * @example
 * ```ts
 * expiryPhrase(Date.UTC(2030, 0, 1), Date.UTC(2030, 0, 4)) // 'expired 3d ago'
 * ```
 */
export function expiryPhrase(atMs: number, nowMs: number): string {
  return `${nowMs < atMs ? 'expires' : 'expired'} ${relative(atMs, nowMs)}`
}

/** An ISO 8601 time for a number of Unix seconds. */
export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}

const UNIX_SECONDS = /^\d{1,10}$/
// A date, optionally with a time and a zone; Date.parse alone accepts too much ('1', 'May 5').
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i
// An offset from now: +2h, -30m, +1h30m, +90 (seconds), -1d.
const RELATIVE = /^([+-])((?:\d{1,9}[smhdw])+|\d{1,10})$/i
const OFFSET_UNITS: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
}

/** The offset in seconds of a relative time's magnitude (`2h`, `1h30m`, `90`). */
function offsetSeconds(magnitude: string): number {
  if (/^\d+$/.test(magnitude)) return Number(magnitude)
  let seconds = 0
  for (const [, amount, unit] of magnitude.toLowerCase().matchAll(/(\d+)([smhdw])/g)) {
    seconds += Number(amount) * OFFSET_UNITS[unit]
  }
  return seconds
}

/**
 * A time given on the command line: ISO 8601 (`2030-01-01T12:00:00Z`; without a zone it is
 * UTC, so that a command means the same on every machine), Unix seconds, `now`, or an offset
 * from now (`+2h`, `-30m`, `+1h30m`, `+90` seconds).
 *
 * @param flag the flag's name, for the error message
 * @param nowMs what `now` and offsets are relative to (default: the real clock)
 * @example
 * ```ts
 * parseTime('2030-01-01T00:00:00Z', '--at', 0).getTime() // 1893456000000
 * parseTime('+2h', '--at', 0).getTime() // 7200000
 * ```
 */
export function parseTime(text: string, flag: string, nowMs = Date.now()): Date {
  const trimmed = text.trim()
  let date: Date | undefined
  const offset = RELATIVE.exec(trimmed)
  if (trimmed.toLowerCase() === 'now') date = new Date(nowMs)
  else if (offset !== null) {
    const sign = offset[1] === '-' ? -1 : 1
    date = new Date(nowMs + sign * offsetSeconds(offset[2]) * 1000)
  } else if (UNIX_SECONDS.test(trimmed)) date = new Date(Number(trimmed) * 1000)
  else if (ISO.test(trimmed)) {
    const spaced = trimmed.replace(' ', 'T')
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(spaced) || spaced.length === 10
    date = new Date(zoned ? spaced : `${spaced}Z`)
  }
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `${flag}: expected an ISO 8601 time such as 2030-01-01T12:00:00Z, Unix seconds, now, or an offset such as +2h or -30m`,
    )
  }
  return date
}

/**
 * A moment in the time zone `zone` (an IANA name), as `2030-01-01 01:00:00 GMT+1`.
 *
 * @example
 * ```ts
 * localTime(Date.UTC(2030, 0, 1), 'Europe/Berlin') // '2030-01-01 01:00:00 GMT+1'
 * ```
 */
export function localTime(ms: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'shortOffset',
  }).formatToParts(new Date(ms))
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${part('timeZoneName')}`
}

/**
 * A time as shown in reports: ISO 8601 in UTC, followed by the local time when `zone` is given.
 */
export function shownTime(seconds: number, zone: string | undefined): string {
  const iso = isoSeconds(seconds)
  return zone === undefined ? iso : `${iso} (${localTime(seconds * 1000, zone)})`
}
