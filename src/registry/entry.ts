// Entries: validation of what a caller records, and entries made from a token's own text.
import {
  decodeToken,
  InvalidArgument,
  tokenId,
  type DecodedToken,
  type TokenEntry,
  type UserId,
} from '../index.js'
import { crc32 } from '../format/006/crc32.js'
import type { Settings } from './options.js'

const encoder = new TextEncoder()
const utf8 = (text: string): Uint8Array => encoder.encode(text)

/** Limits on what an entry may hold; the token server applies them to `POST /token`. */
export const ENTRY_LIMITS = Object.freeze({
  /** Longest `label`, in characters (any text without control characters). */
  labelLength: 200,
  /** Longest `correlationId`; characters `A-Z a-z 0-9 . _ : / @ + = ~ -`. */
  correlationIdLength: 128,
  /** Most `tags` per entry. */
  tagCount: 16,
  /** Longest tag; characters `A-Z a-z 0-9 . _ : -`. */
  tagLength: 64,
  /** Longest `issuedTo`, `channelName`, `uid`, `userId`. */
  identityLength: 256,
  /** Longest revocation `reason`. */
  reasonLength: 500,
})

/** What a token id looks like (tokenId: 22 base64url characters). */
export const TOKEN_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/
const TYPE = /^[a-z][a-z0-9]{0,31}$/
const APP_ID = /^[0-9a-fA-F]{32}$/
const CORRELATION_ID = /^[A-Za-z0-9._:/@+=~-]+$/
const TAG = /^[A-Za-z0-9._:-]+$/
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
const ENTRY_FIELDS = new Set([
  'id',
  'type',
  'appId',
  'channelName',
  'uid',
  'userId',
  'issuedAt',
  'expiresAt',
  'label',
  'correlationId',
  'tags',
  'issuedTo',
  'renewedFrom',
])

function fail(field: string, expected: string, value: unknown): never {
  const shown =
    typeof value === 'string'
      ? `a string of ${value.length} characters`
      : value === null
        ? 'null'
        : Array.isArray(value)
          ? `an array of ${value.length}`
          : typeof value
  throw new InvalidArgument(`${field}: expected ${expected}, got ${shown}`)
}

/** A text field: a string within `max` characters, without control characters. */
export function checkText(value: unknown, field: string, max: number, min = 1): string {
  if (typeof value !== 'string' || value.length < min || value.length > max || CONTROL.test(value))
    fail(field, `text of ${min}..${max} characters without control characters`, value)
  return value
}

/** A correlation id: 1..128 characters of `A-Z a-z 0-9 . _ : / @ + = ~ -`. */
export function checkCorrelationId(value: unknown, field = 'correlationId'): string {
  const max = ENTRY_LIMITS.correlationIdLength
  if (
    typeof value !== 'string' ||
    value.length < 1 ||
    value.length > max ||
    !CORRELATION_ID.test(value)
  )
    fail(field, `1..${max} characters of A-Z a-z 0-9 . _ : / @ + = ~ -`, value)
  return value
}

/** One tag: 1..64 characters of `A-Z a-z 0-9 . _ : -`. */
export function checkTag(value: unknown, field = 'tag'): string {
  const max = ENTRY_LIMITS.tagLength
  if (typeof value !== 'string' || value.length < 1 || value.length > max || !TAG.test(value))
    fail(field, `1..${max} characters of A-Z a-z 0-9 . _ : -`, value)
  return value
}

/** A list of tags: at most 16, each valid, no repeats. */
export function checkTags(value: unknown, field = 'tags'): string[] {
  if (!Array.isArray(value) || value.length > ENTRY_LIMITS.tagCount)
    fail(field, `an array of at most ${ENTRY_LIMITS.tagCount} tags`, value)
  const tags = value.map((t, i) => checkTag(t, `${field}[${i}]`))
  if (new Set(tags).size !== tags.length) throw new InvalidArgument(`${field}: a tag is repeated`)
  return tags
}

/** A uid or user id as the token writes it: a string, or an integer 0..4294967295 (0 is ""). */
export function checkUserId(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff)
    return value === 0 ? '' : String(value)
  return checkText(value, field, ENTRY_LIMITS.identityLength, 0)
}

/** A valid Date (whole milliseconds). */
export function checkDate(value: unknown, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) fail(field, 'a valid Date', value)
  return new Date(value.getTime())
}

/**
 * Validates an entry to record and returns a copy holding only the known fields.
 * @param nowMs the registry's current time
 */
export function checkEntry(value: unknown, settings: Settings, nowMs: number): TokenEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('entry', 'an object', value)
  const e = value as Record<string, unknown>
  for (const key of Object.keys(e)) {
    if (key === 'revokedAt' || key === 'reason')
      throw new InvalidArgument(`entry.${key}: a new entry is not revoked; call revoke() instead`)
    if (!ENTRY_FIELDS.has(key)) throw new InvalidArgument(`entry.${key}: not an entry field`)
  }
  if (typeof e.id !== 'string' || !TOKEN_ID_PATTERN.test(e.id))
    fail('entry.id', 'a token id (tokenId(token): 22 base64url characters)', e.id)
  if (typeof e.type !== 'string' || !TYPE.test(e.type))
    fail('entry.type', "a token type such as 'rtc' (a-z, 0-9)", e.type)
  if (typeof e.appId !== 'string' || !APP_ID.test(e.appId))
    fail('entry.appId', 'an app id (32 hexadecimal characters)', e.appId)
  const issuedAt = checkDate(e.issuedAt, 'entry.issuedAt')
  const expiresAt = checkDate(e.expiresAt, 'entry.expiresAt')
  const lifetimeMs = expiresAt.getTime() - issuedAt.getTime()
  if (lifetimeMs <= 0) throw new InvalidArgument('entry.expiresAt: must be after entry.issuedAt')
  if (lifetimeMs > settings.maxTokenLifetime * 1000) {
    throw new InvalidArgument(
      `entry.expiresAt: the token lives ${Math.ceil(lifetimeMs / 1000)} s, longer than the registry's maxTokenLifetime (${settings.maxTokenLifetime} s)`,
    )
  }
  if (expiresAt.getTime() + settings.clockTolerance * 1000 <= nowMs)
    throw new InvalidArgument('entry.expiresAt: the token has already expired')
  const entry: TokenEntry = {
    id: e.id,
    type: e.type,
    appId: e.appId,
    issuedAt,
    expiresAt,
    issuedTo: checkText(e.issuedTo, 'entry.issuedTo', ENTRY_LIMITS.identityLength),
  }
  if (e.channelName !== undefined)
    entry.channelName = checkText(e.channelName, 'entry.channelName', ENTRY_LIMITS.identityLength)
  if (e.uid !== undefined) entry.uid = checkUserId(e.uid, 'entry.uid')
  if (e.userId !== undefined) entry.userId = checkUserId(e.userId, 'entry.userId')
  if (e.label !== undefined)
    entry.label = checkText(e.label, 'entry.label', ENTRY_LIMITS.labelLength)
  if (e.correlationId !== undefined)
    entry.correlationId = checkCorrelationId(e.correlationId, 'entry.correlationId')
  if (e.renewedFrom !== undefined) {
    if (typeof e.renewedFrom !== 'string' || !TOKEN_ID_PATTERN.test(e.renewedFrom))
      fail('entry.renewedFrom', 'a token id (22 base64url characters)', e.renewedFrom)
    entry.renewedFrom = e.renewedFrom
  }
  if (e.tags !== undefined) {
    const tags = checkTags(e.tags, 'entry.tags')
    if (tags.length > 0) entry.tags = tags
  }
  return entry
}

/** A deep copy of an entry, so that callers never hold a store's own object. */
export function copyEntry(entry: TokenEntry): TokenEntry {
  const copy: TokenEntry = {
    ...entry,
    issuedAt: new Date(entry.issuedAt.getTime()),
    expiresAt: new Date(entry.expiresAt.getTime()),
  }
  if (entry.tags) copy.tags = [...entry.tags]
  if (entry.revokedAt) copy.revokedAt = new Date(entry.revokedAt.getTime())
  return copy
}

/** What {@link entryFromToken} adds to what the token itself says. */
export interface EntryDetails {
  /** Who asked for the token. */
  issuedTo: string
  /** Overrides the type read from the token (its first service, or `'rtc'` for 006). */
  type?: string
  label?: string
  correlationId?: string
  tags?: string[]
  /** 006 tokens: the channel (checked against the token's CRC-32). */
  channelName?: string
  /** 006 tokens: the uid (checked against the token's CRC-32). */
  uid?: UserId
}

/**
 * An entry for a token, read from its text: id, type, app id, channel, uid, user id and times
 * come from the token (a 006 token's issue time is taken as its `ts` minus 24 h, the references'
 * convention; its channel and uid from `details`, checked against the token's CRC-32s).
 *
 * @example
 * ```ts
 * await registry.record(entryFromToken(token, { issuedTo: 'apikey:backend-1', tags: ['kiosk'] }))
 * ```
 * @throws {TokenError} when the token cannot be decoded, or a 006 channel/uid does not match
 */
export function entryFromToken(token: string | DecodedToken, details: EntryDetails): TokenEntry {
  const decoded = typeof token === 'string' ? decodeToken(token) : token
  const entry: TokenEntry = {
    id: tokenId(decoded),
    type: 'rtc',
    appId: decoded.appId,
    issuedAt: new Date(0),
    expiresAt: new Date(0),
    issuedTo: details.issuedTo,
  }
  if (decoded.version === '007') {
    entry.issuedAt = decoded.issuedAt
    entry.expiresAt = decoded.expiresAt
    const first = decoded.services[0]
    if (first) entry.type = first.type
    for (const s of decoded.services) {
      if ('channelName' in s && entry.channelName === undefined) entry.channelName = s.channelName
      if (s.type === 'rtc' && entry.uid === undefined) entry.uid = s.uid
      if ('userId' in s && entry.userId === undefined) entry.userId = s.userId
    }
  } else {
    entry.issuedAt = new Date((decoded.ts - 86_400) * 1000)
    entry.expiresAt = new Date(decoded.ts * 1000)
    if (Object.keys(decoded.privileges).every((k) => k === 'rtmLogin' || k === '1000'))
      entry.type = 'rtm'
    if (details.channelName !== undefined) {
      if (crc32(utf8(details.channelName)) !== decoded.crcChannelName)
        throw new InvalidArgument("channelName: does not match the 006 token's channel CRC-32")
      entry.channelName = details.channelName
    }
    if (details.uid !== undefined) {
      const uid = checkUserId(details.uid, 'uid')
      if (crc32(utf8(uid)) !== decoded.crcUid)
        throw new InvalidArgument("uid: does not match the 006 token's uid CRC-32")
      entry.uid = uid
    }
  }
  if (details.type !== undefined) entry.type = details.type
  if (details.label !== undefined) entry.label = details.label
  if (details.correlationId !== undefined) entry.correlationId = details.correlationId
  if (details.tags !== undefined) entry.tags = details.tags
  return entry
}
