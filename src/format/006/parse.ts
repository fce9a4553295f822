// Legacy AccessToken ("006") envelope and content (docs/format.md, "Legacy AccessToken"):
// "006", a 32-hex-character app id, then canonical base64 of one content structure.
import { InvalidArgument, TokenMalformed, TokenTooLarge, TokenVersionError } from '../../errors.js'
import { privilegeKey006 } from './privileges.js'
import { decodeBase64 } from '../../lib/base64.js'
import { ByteReader } from '../../lib/bytes.js'
import { quoteText } from '../../lib/printable.js'
import { describe } from '../../lib/validate.js'
import type { DecodedToken006, Privilege006, PrivilegeMap } from '../../types.js'

const PREFIX_LENGTH = 3 + 32
const SIGNATURE_LENGTH = 32
const APP_ID = /^[0-9a-fA-F]{32}$/
// The content is u16 + signature, two u32 CRCs and m, a u16-length string: it cannot be longer.
const MAX_CONTENT_BYTES = 2 + SIGNATURE_LENGTH + 8 + 2 + 0xffff

/** A parsed 006 token plus the exact message bytes its signature covers. */
export interface Parsed006 {
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

/** Decodes a 006 token and keeps the message bytes its signature covers. */
export function parse006(token: string, maxPayloadBytes: number | undefined): Parsed006 {
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
      expiresAt: new Date(ts * 1000),
      privileges: privileges as PrivilegeMap<Privilege006>,
      crcChannelName,
      crcUid,
      signature: signature.slice(),
    },
    message,
  }
}
