// Argument checks shared by the raw layer and the builders. Every failure is an InvalidArgument
// whose message names the argument, what was expected and what was given.
import { InvalidArgument } from '../errors.js'
import { utf8 } from './bytes.js'
import { quoteText, showText } from './printable.js'

/** A short, safe description of a value for an error message. */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value)
  if (typeof value === 'string') {
    return `the string ${quoteText(value, 40)}`
  }
  if (typeof value === 'bigint') return `the bigint ${value}n`
  let array = false
  try {
    array = Array.isArray(value)
  } catch {
    // A revoked Proxy: described by its type alone.
  }
  return array ? 'an array' : `a value of type ${typeof value}`
}

/** Throws InvalidArgument with `path: expected …, got …`. */
export function invalid(path: string, expected: string, value: unknown): never {
  throw new InvalidArgument(`${path}: expected ${expected}, got ${describe(value)}`)
}

/** An integer in 0..max. */
export function checkUint(value: unknown, max: number, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    invalid(path, `an integer 0..${max}`, value)
  }
  return value
}

export const U16_MAX = 0xffff
export const U32_MAX = 0xffff_ffff

const HEX32 = /^[0-9a-fA-F]{32}$/
/** The last app id [0] and certificate [1] that passed {@link checkHex32}; nothing at first. */
const lastHex32: unknown[] = [Symbol('none'), Symbol('none')]

/**
 * appId / appCertificate: 32 hexadecimal characters. The message never shows a certificate's
 * value, only its shape.
 */
export function checkHex32(value: unknown, path: string, secret: boolean): string {
  // A server passes the same app id and certificate to every build, and each build checks them
  // twice (the builders first, then the raw layer): the last two accepted strings are remembered.
  if (value === lastHex32[0] || value === lastHex32[1]) return value as string
  if (typeof value === 'string' && HEX32.test(value)) {
    lastHex32[secret ? 1 : 0] = value
    return value
  }
  const hint =
    value === '' || value === undefined
      ? ' (is the environment variable that should hold it set?)'
      : ''
  if (secret || typeof value !== 'string') {
    // A secret's value is never shown, not even a number or bigint passed by mistake.
    const got =
      typeof value === 'string'
        ? `a string of ${value.length} characters${value.length === 32 ? ' that are not all hexadecimal' : ''}`
        : secret && (typeof value === 'number' || typeof value === 'bigint')
          ? `a ${typeof value}`
          : describe(value)
    throw new InvalidArgument(`${path}: expected 32 hexadecimal characters, got ${got}${hint}`)
  }
  return invalid(path, `32 hexadecimal characters${hint}`, value)
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * A string that encodes to UTF-8 exactly (no lone surrogates) and fits a u16 length, as its
 * UTF-8 bytes. The argument is named `path`, or `path.field` when a field is given, or
 * `path[field]` when the field is an index (the two are only joined for an error message).
 */
export function checkString(value: unknown, path: string, field?: string | number): Uint8Array {
  if (typeof value !== 'string') invalid(fieldPath(path, field), 'a string', value)
  const bytes = utf8(value)
  // As many bytes as UTF-16 units means every unit was ASCII, so there is no surrogate to check.
  if (bytes.length !== value.length && LONE_SURROGATE.test(value)) {
    throw new InvalidArgument(
      `${fieldPath(path, field)}: contains a lone UTF-16 surrogate, which has no UTF-8 encoding`,
    )
  }
  if (bytes.length > U16_MAX) {
    throw new InvalidArgument(
      `${fieldPath(path, field)}: is ${bytes.length} UTF-8 bytes long; the format allows at most 65535`,
    )
  }
  return bytes
}

/**
 * {@link checkString} when only the check is wanted: the same errors, but ASCII text (the usual
 * channel names and accounts) is checked without being encoded.
 */
export function checkText(value: unknown, path: string): string {
  if (typeof value === 'string' && value.length <= U16_MAX && isAscii(value)) return value
  checkString(value, path)
  return value as string
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false
  return true
}

/** `path.field`, `path[index]` for a numeric field, or `path` alone. */
export function fieldPath(path: string, field: string | number | undefined): string {
  return field === undefined
    ? path
    : typeof field === 'number'
      ? `${path}[${field}]`
      : `${path}.${field}`
}

/**
 * An options object's own enumerable keys, each of which must be in `known`: an option that is
 * misspelt or meant for another function is refused rather than ignored. A Proxy whose traps
 * throw, or any other object that cannot be listed, is an InvalidArgument too.
 */
export function checkOptionKeys(value: object, path: string, known: readonly string[]): void {
  let keys: string[]
  try {
    keys = Object.keys(value)
  } catch (cause) {
    throw new InvalidArgument(`${path}: its keys could not be listed (${errorName(cause)})`, {
      cause,
    })
  }
  for (const key of keys) {
    if (!known.includes(key)) {
      throw new InvalidArgument(
        `${path}.${showText(key, 40)}: not an option here; expected one of ${known.join(', ')}`,
      )
    }
  }
}

/** Reads `value[key]` once; a getter or Proxy trap that throws is an InvalidArgument. */
export function readOption(value: object, key: string, path: string): unknown {
  try {
    return (value as Record<string, unknown>)[key]
  } catch (cause) {
    throw new InvalidArgument(`${path}.${key}: could not be read (${errorName(cause)})`, { cause })
  }
}

/** An options object: undefined (no options) or a non-array object. */
export function checkOptionsObject(value: unknown, path: string): object | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null || isArray(value, path)) {
    invalid(path, 'an object', value)
  }
  return value
}

/** Array.isArray, which throws for a revoked Proxy: an InvalidArgument then. */
export function isArray(value: unknown, path: string): value is readonly unknown[] {
  try {
    return Array.isArray(value)
  } catch (cause) {
    throw new InvalidArgument(`${path}: could not be inspected (${errorName(cause)})`, { cause })
  }
}

/** Nothing is read from what was thrown: it may itself be a hostile object. */
function errorName(_error: unknown): string {
  return 'it threw'
}
