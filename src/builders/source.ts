// The clock and the salt of a build, injectable so that tests and reproducible builds pin them
// without patching Date or crypto.
import { InvalidArgument } from '../errors.js'
import { randomSalt } from '../lib/random.js'
import { U32_MAX, describe } from '../lib/validate.js'

/**
 * Where a builder takes the current time and the salt from.
 *
 * @example
 * ```ts
 * // A pinned source: every token it stamps has the same issueTs and salt.
 * const pinned: TokenSource = { now: () => Date.UTC(2026, 0, 1), salt: () => 12345678 }
 * ```
 */
export interface TokenSource {
  /** The current time in Unix milliseconds, like `Date.now()`. */
  now(): number
  /** A salt (uint32; the references draw from 1..99,999,999). */
  salt(): number
}

/** `Date.now()` and a uniform salt in 1..99,999,999 from `crypto.getRandomValues`. */
export const defaultSource: TokenSource = /* @__PURE__ */ Object.freeze({
  now: () => Date.now(),
  salt: randomSalt,
})

/** The issueTs and salt of one build. */
export interface Stamp {
  /** Unix seconds: the source's milliseconds floored to a whole second. */
  issueTs: number
  salt: number
}

/** Reads one issueTs and one salt from `source`, refusing values the format cannot carry. */
export function stamp(source: TokenSource): Stamp {
  const ms = source.now()
  const issueTs = typeof ms === 'number' ? Math.floor(ms / 1000) : Number.NaN
  if (!Number.isInteger(issueTs) || issueTs < 0 || issueTs > U32_MAX) {
    throw new InvalidArgument(
      'source.now(): expected Unix milliseconds from 0 up to the end of second 4294967295, ' +
        `got ${describe(ms)}`,
    )
  }
  const salt = source.salt()
  if (typeof salt !== 'number' || !Number.isInteger(salt) || salt < 0 || salt > U32_MAX) {
    throw new InvalidArgument(
      `source.salt(): expected an integer 0..4294967295, got ${describe(salt)}`,
    )
  }
  return { issueTs, salt }
}

/** Checks a user-supplied source once, when it is bound, rather than at every build. */
export function checkSource(source: unknown, path: string): TokenSource {
  if (
    typeof source !== 'object' ||
    source === null ||
    typeof (source as TokenSource).now !== 'function' ||
    typeof (source as TokenSource).salt !== 'function'
  ) {
    const got = describe(source)
    throw new InvalidArgument(
      `${path}: expected an object with now() and salt() methods, got ${got}`,
    )
  }
  return source as TokenSource
}
