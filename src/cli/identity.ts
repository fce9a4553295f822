// User identities on the command line: --uid is a number, --account a string, as in the
// references (an RTC "user account" is the string form of a uid).
import type { UserId } from '../index.js'
import { exclusive, stringFlag, UsageError, type Values } from './usage.js'

const U32_MAX = 0xffff_ffff

/**
 * The RTC user: `--uid <integer>` (0 = any uid) or `--account <string>`; undefined when neither
 * is given.
 */
export function rtcUser(values: Values): UserId | undefined {
  exclusive(values, 'uid', 'account')
  const account = stringFlag(values, 'account')
  if (account !== undefined) return account
  const uid = stringFlag(values, 'uid')
  return uid === undefined
    ? undefined
    : integerFlag(uid, 'uid', 0, U32_MAX, '; use --account for a string user account')
}

/** An integer flag within [min, max]. */
export function integerFlag(
  text: string,
  name: string,
  min: number,
  max: number,
  hint = '',
): number {
  const value = /^-?\d{1,20}$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name}: expected an integer ${min}..${max}${hint}`)
  }
  return value
}

/** A user id flag (`--user-id`, `--rtm-user-id`): kept as the string typed. */
export function userIdFlag(values: Values, name: string): string | undefined {
  const value = stringFlag(values, name)
  if (value === '') throw new UsageError(`--${name}: expected a non-empty user id`)
  return value
}
