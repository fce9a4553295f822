// Legacy AccessToken ("006"): strict decoding and verification (FORMAT.md, "Legacy AccessToken").
// decodeToken and verifyToken dispatch here on the "006" prefix.
import {
  InvalidArgument,
  TokenClaimMismatch,
  TokenExpired,
  TokenMalformed,
  TokenSignatureInvalid,
  TokenTooLarge,
  TokenVersionError,
} from '../errors.js'
import { decodeBase64 } from '../lib/base64.js'
import { ByteReader } from '../lib/bytes.js'
import { userIdText } from '../lib/services.js'
import { equalBytes } from '../lib/sign.js'
import { quoteText } from '../lib/printable.js'
import { checkString, describe } from '../lib/validate.js'
import { checkAppId } from '../verify.js'
import type { DecodedToken006, PrivilegeMap, Privilege006, UserId } from '../types.js'
import { crc32 } from './crc32.js'
import { privilegeKey006 } from './privileges.js'
import { sign006 } from './sign006.js'

/** What verifyToken has already validated for a 006 token. */
export interface Verify006Context {
  nowMs: number
  toleranceMs: number
  expectedAppId: string | undefined
  channelName: string | undefined
  uid: UserId | undefined
  /** The largest decoded content accepted, in bytes (verifyToken's maxPayloadBytes). */
  maxPayloadBytes?: number
  /** Whether a token signed for any uid (uid 0) is accepted for a given non-zero uid. */
  allowAnyUid: boolean
}

const EMPTY = new Uint8Array(0)

const PREFIX_LENGTH = 3 + 32
const SIGNATURE_LENGTH = 32
const APP_ID = /^[0-9a-fA-F]{32}$/
// The content is u16 + signature, two u32 CRCs and m, a u16-length string: it cannot be longer.
const MAX_CONTENT_BYTES = 2 + SIGNATURE_LENGTH + 8 + 2 + 0xffff

/** A parsed 006 token plus the exact message bytes its signature covers. */
interface Parsed006 {
  token: DecodedToken006
  message: Uint8Array
}

/**
 * Decodes a 006 token strictly: `"006"`, a 32-hex-character app id, then canonical base64 of
 * exactly one content structure with nothing after it. Does not check the signature.
 */
export function decode006(token: string, maxPayloadBytes?: number): DecodedToken006 {
  return parse006(token, maxPayloadBytes).token
}

function parse006(token: string, maxPayloadBytes: number | undefined): Parsed006 {
  if (typeof token !== 'string')
    throw new InvalidArgument(`token: expected a string, got ${describe(token)}`)
  if (!token.startsWith('006')) throw new TokenVersionError('token does not start with "006"')
  if (token.length < PREFIX_LENGTH) {
    throw new TokenMalformed(
      `token is ${token.length} characters long; a 006 token is "006", a 32-character app id, then base64`,
    )
  }
  const appId = token.slice(3, PREFIX_LENGTH)
  if (!APP_ID.test(appId)) {
    throw new TokenMalformed(`token's app id ${quoteText(appId)} is not 32 hexadecimal characters`)
  }
  const chars = token.length - PREFIX_LENGTH
  if (maxPayloadBytes !== undefined && chars > 4 * Math.ceil(maxPayloadBytes / 3)) {
    const most = PREFIX_LENGTH + 4 * Math.ceil(maxPayloadBytes / 3)
    throw new TokenTooLarge(
      `token is ${token.length} characters long; with maxPayloadBytes ${maxPayloadBytes} a 006 token has at most ${most}`,
    )
  }
  if (chars > 4 * Math.ceil(MAX_CONTENT_BYTES / 3)) {
    throw new TokenMalformed(
      `token is ${token.length} characters long, longer than any 006 token can be`,
    )
  }
  const content = decodeBase64(token, PREFIX_LENGTH)
  if (typeof content === 'string')
    throw new TokenMalformed(`token body is not canonical base64: ${content}`)

  const r = new ByteReader(content)
  const signature = r.bytes('signature')
  if (signature.length !== SIGNATURE_LENGTH) {
    throw new TokenMalformed(
      `token signature is ${signature.length} bytes; expected ${SIGNATURE_LENGTH}`,
    )
  }
  const crcChannelName = r.u32('channel name CRC-32')
  const crcUid = r.u32('uid CRC-32')
  const message = r.bytes('message')
  if (r.remaining > 0)
    throw new TokenMalformed(`token content has ${r.remaining} bytes after its message`)

  const m = new ByteReader(message)
  const salt = m.u32('salt')
  const ts = m.u32('ts')
  const count = m.u16('privilege count')
  const privileges: Record<string, number> = {}
  for (let i = 0; i < count; i++) {
    const id = m.u16(`privileges[${i}]`, ' id')
    const key = privilegeKey006(id)
    // Any order is accepted (the PHP and Ruby references pack insertion order); a repeated id is
    // ambiguous, so it is refused.
    if (Object.hasOwn(privileges, key)) {
      throw new TokenMalformed(`token message lists privilege ${id} twice`)
    }
    privileges[key] = m.u32(`privileges[${i}]`, ' time')
  }
  if (m.remaining > 0)
    throw new TokenMalformed(`token message has ${m.remaining} bytes after its privileges`)

  return {
    token: {
      version: '006',
      appId,
      salt,
      ts,
      privileges: privileges as PrivilegeMap<Privilege006>,
      crcChannelName,
      crcUid,
      signature: signature.slice(),
    },
    message,
  }
}

/**
 * Verifies a 006 token. The order of checks:
 * 1. the arguments (`channelName`, `uid` types), then the token's structure;
 * 2. `channelName` and `uid` must be given: only their CRC-32s travel, and the signature covers
 *    the originals (missing → `ERR_TOKEN_CLAIM`);
 * 3. the signature, in constant time, against each certificate in turn. When none matches and
 *    the given channel's or uid's CRC-32 differs from the token's, the token was made for
 *    another channel or uid: `ERR_TOKEN_CLAIM` (claim `channelName` / `uid`) says so; otherwise
 *    `ERR_TOKEN_SIGNATURE`. When the signature matches but a CRC-32 field does not, that
 *    unsigned field was altered: `ERR_TOKEN_MALFORMED`;
 * 4. the app id (`options.appId`);
 * 5. time: the message `ts` and every non-zero privilege time (absolute; 0 is no limit), each
 *    with the clock tolerance (`ERR_TOKEN_EXPIRED`).
 *
 * A token made for uid 0 (uid `""`) admits any uid only when its signature verifies over the
 * empty uid for the channel asked and the caller opted in (`allowAnyUid`); otherwise such a token
 * is `ERR_TOKEN_CLAIM` for any uid but 0. The unsigned CRC-32 fields never decide it.
 */
export function verify006(
  token: string,
  certificates: readonly string[],
  context: Verify006Context,
): DecodedToken006 & { certificateIndex: number } {
  const channel =
    context.channelName === undefined
      ? undefined
      : checkString(context.channelName, 'options.channelName')
  const uidText = context.uid === undefined ? undefined : userIdText(context.uid, 'options.uid')
  const uidGiven = uidText === undefined ? undefined : checkString(uidText, 'options.uid')

  const { token: decoded, message } = parse006(token, context.maxPayloadBytes)
  if (channel === undefined || uidGiven === undefined) {
    const missing = channel === undefined ? 'channelName' : 'uid'
    throw new TokenClaimMismatch(
      `verifying a 006 token needs options.channelName and options.uid (options.${missing} is missing): ` +
        'the token carries only their CRC-32s. For an RTM token pass the account as channelName and uid 0',
      missing,
      undefined,
    )
  }
  const channelCrc = crc32(channel)
  const uidCrc = crc32(uidGiven)
  const signedBy = (uid: Uint8Array) =>
    certificates.findIndex((certificate) =>
      equalBytes(sign006(certificate, decoded.appId, channel, uid, message), decoded.signature),
    )
  let certificateIndex = signedBy(uidGiven)
  // uid 0 is written as "" and admits any uid. Only the signature may say so: the CRC-32 fields
  // are not signed, so they never decide what a token grants.
  let anyUid = uidGiven.length === 0
  if (certificateIndex < 0 && uidGiven.length > 0) {
    const anyIndex = signedBy(EMPTY)
    if (anyIndex >= 0) {
      if (!context.allowAnyUid) {
        throw new TokenClaimMismatch(
          `token is signed for any uid (uid 0) in channel ${quoteText(context.channelName as string)}, not for uid ${quoteText(uidText as string)}: ` +
            'pass allowAnyUid006: true to accept it. A 006 signature does not separate the channel from the uid, so it also reads as a token for a longer channel name (see docs/readme-parts/compatibility.md)',
          'uid',
          Object.assign(decoded, { certificateIndex: anyIndex }),
        )
      }
      certificateIndex = anyIndex
      anyUid = true
    }
  }
  if (certificateIndex < 0) {
    // Refused either way; the unsigned CRC-32s only help to say why.
    if (channelCrc !== decoded.crcChannelName) {
      throw otherSubject(
        'channelName',
        context.channelName as string,
        decoded.crcChannelName,
        channelCrc,
      )
    }
    if (uidCrc !== decoded.crcUid)
      throw otherSubject('uid', uidText as string, decoded.crcUid, uidCrc)
    throw new TokenSignatureInvalid(
      certificates.length === 1
        ? `token signature does not match the certificate for this channel and uid (is it app ${decoded.appId}'s certificate?)`
        : `token signature matches none of the ${certificates.length} certificates for this channel and uid (app ${decoded.appId})`,
    )
  }
  const signedUidCrc = anyUid ? 0 : uidCrc
  if (channelCrc !== decoded.crcChannelName || signedUidCrc !== decoded.crcUid) {
    const field = channelCrc !== decoded.crcChannelName ? 'channel name' : 'uid'
    throw new TokenMalformed(
      `token's ${field} CRC-32 field does not match the ${field} its signature covers (the unsigned field was altered)`,
    )
  }

  const verified = Object.assign(decoded, { certificateIndex })
  checkAppId(verified, context.expectedAppId)
  const { nowMs, toleranceMs } = context
  if (nowMs >= decoded.ts * 1000 + toleranceMs) {
    throw new TokenExpired(`token expired at ${isoTime(decoded.ts)} (its message ts)`, verified)
  }
  for (const [key, time] of Object.entries(decoded.privileges)) {
    if (time !== 0 && nowMs >= time * 1000 + toleranceMs) {
      throw new TokenExpired(`token's privilege ${key} expired at ${isoTime(time)}`, verified)
    }
  }
  return verified
}

/** The claim error for a channel or uid whose CRC-32 is not the token's. */
function otherSubject(
  claim: 'channelName' | 'uid',
  given: string,
  tokenCrc: number,
  givenCrc: number,
) {
  const what = claim === 'uid' ? 'uid' : 'channel'
  const shown = quoteText(given, 40)
  return new TokenClaimMismatch(
    `token was made for another ${what} than ${shown} (its ${what} CRC-32 is ${hex8(tokenCrc)}, not ${hex8(givenCrc)})`,
    claim,
    undefined,
  )
}

function hex8(value: number): string {
  return '0x' + value.toString(16).padStart(8, '0')
}

function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}
