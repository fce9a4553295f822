// How the command line shows and reads times (src/cli/time.ts): the relative phrases of
// `inspect` and `verify`, and the times typed after --at, --issued-at and --expires-at.
import { describe, expect, it } from 'vitest'
import {
  expiryPhrase,
  localTime,
  parseTime,
  relative,
  shownTime,
  span,
} from '../../src/cli/time.js'

const MINUTE = 60
const HOUR = 3600
const DAY = 86_400
const NOW = Date.UTC(2030, 0, 1, 12)

describe('span', () => {
  it.each([
    [0, '0s'],
    [1, '1s'],
    [59, '59s'],
    [60, '1m'],
    [59 * MINUTE + 30, '59m 30s'],
    [HOUR, '1h'],
    [HOUR + 30, '1h'], // seconds are noise past an hour
    [HOUR + 30 * MINUTE, '1h 30m'],
    [DAY, '1d'],
    [DAY + 5 * MINUTE, '1d'], // only the next smaller unit follows the largest
    [3 * DAY + 4 * HOUR, '3d 4h'],
    [365 * DAY + 10 * DAY, '1y 10d'],
    [-(2 * HOUR), '2h'],
  ])('%i seconds is %j', (seconds, text) => {
    expect(span(seconds)).toBe(text)
  })
})

describe('relative and expiryPhrase', () => {
  const now = Date.UTC(2030, 0, 1)

  it('a future time is "in …", a past one "… ago", to the nearest second', () => {
    expect(relative(now + 59 * MINUTE * 1000, now)).toBe('in 59m')
    expect(relative(now - 3 * DAY * 1000, now)).toBe('3d ago')
    expect(relative(now + HOUR * 1000 - 4, now)).toBe('in 1h') // a token made 4 ms ago
    expect(relative(now + 400, now)).toBe('now')
  })

  it('a deadline "expires in …" until it is reached, then "expired … ago"', () => {
    expect(expiryPhrase(now + 59 * MINUTE * 1000, now)).toBe('expires in 59m')
    expect(expiryPhrase(now - 3 * DAY * 1000, now)).toBe('expired 3d ago')
    // verifyToken: expired from the expiry second on.
    expect(expiryPhrase(now, now)).toBe('expired now')
  })
})

describe('parseTime', () => {
  it.each([
    ['2030-01-01T12:00:00Z', Date.UTC(2030, 0, 1, 12)],
    ['2030-01-01T12:00:00.250Z', Date.UTC(2030, 0, 1, 12, 0, 0, 250)],
    ['2030-01-01T12:00:00+02:00', Date.UTC(2030, 0, 1, 10)],
    ['2030-01-01T12:00:00+0200', Date.UTC(2030, 0, 1, 10)],
    // Without a zone a time is UTC, so that a command means the same on every machine.
    ['2030-01-01T12:00', Date.UTC(2030, 0, 1, 12)],
    ['2030-01-01 12:00:00', Date.UTC(2030, 0, 1, 12)],
    ['2030-01-01', Date.UTC(2030, 0, 1)],
    ['1893456000', Date.UTC(2030, 0, 1)], // Unix seconds
    ['0', 0],
    // Relative to the clock (NOW below): now, and offsets in the duration units.
    ['now', NOW],
    [' NOW ', NOW],
    ['+2h', NOW + 2 * HOUR * 1000],
    ['-30m', NOW - 30 * MINUTE * 1000],
    ['+1h30m', NOW + 90 * MINUTE * 1000],
    ['+90', NOW + 90_000],
    ['-1d', NOW - DAY * 1000],
    ['+1w', NOW + 7 * DAY * 1000],
  ])('%j is %i ms', (text, ms) => {
    expect(parseTime(text, '--at', NOW).getTime()).toBe(ms)
  })

  it.each([
    'yesterday',
    'May 5',
    '2030-13-01',
    '2030-01-01T25:00:00Z',
    '12345678901',
    '',
    '1e9',
    '+',
    '2h',
    '+2x',
    '+-2h',
    '+2h-1m',
    'now+1h',
  ])('%j is refused, naming the flag', (text) => {
    expect(() => parseTime(text, '--at', NOW)).toThrow(
      /^--at: expected an ISO 8601 time such as 2030-01-01T12:00:00Z, Unix seconds, now, or an offset such as \+2h or -30m$/,
    )
  })
})

describe('localTime and shownTime', () => {
  it('shows a moment in a named zone, with its offset', () => {
    expect(localTime(Date.UTC(2030, 0, 1), 'Europe/Berlin')).toBe('2030-01-01 01:00:00 GMT+1')
    expect(localTime(Date.UTC(2030, 6, 1), 'Europe/Berlin')).toBe('2030-07-01 02:00:00 GMT+2')
    expect(localTime(Date.UTC(2030, 0, 1), 'Asia/Kolkata')).toBe('2030-01-01 05:30:00 GMT+5:30')
    expect(localTime(Date.UTC(2030, 0, 1), 'America/New_York')).toBe('2029-12-31 19:00:00 GMT-5')
  })

  it('is UTC alone without a zone, UTC then local with one', () => {
    const at = Date.UTC(2030, 0, 1) / 1000
    expect(shownTime(at, undefined)).toBe('2030-01-01T00:00:00.000Z')
    expect(shownTime(at, 'Asia/Tokyo')).toBe('2030-01-01T00:00:00.000Z (2030-01-01 09:00:00 GMT+9)')
  })
})
