// A legacy AccessToken ("006") as the library's decodeToken reads it (src/format/006/parse.ts):
// "006", a 32-hex-character app id, then canonical base64 of exactly one content structure.
import type { DecodedToken006, Privilege006, PrivilegeMap } from '../../index.js'
import { TokenMalformed, TokenTooLarge } from '../../index.js'
import { PRIVILEGE_IDS } from '../../format/006/privileges.js'
import { readBase64 } from './base64.js'
import { reader, readKey } from './reader.js'

/**
 * The base64 characters of the longest content (u16 + 32-byte signature, two CRCs, a message of
 * u16 + up to 65535 bytes): 4 * ceil(65579 / 3).
 */
const MAX_CONTENT_CHARS = 87_440
/** As many characters as the default payload cap allows: 4 * ceil(131072 / 3). */
const MAX_CHARS = 174_764

/**
 * Decodes a token that starts with "006".
 * @throws {TokenError} `ERR_TOKEN_MALFORMED` or `ERR_TOKEN_TOO_LARGE`
 */
export function read006(token: string): DecodedToken006 {
  const appId = token.slice(3, 35)
  if (!/^[0-9a-fA-F]{32}$/.test(appId))
    throw new TokenMalformed('a 006 token is "006", a 32-hex-character app id, then base64')
  const chars = token.length - 35
  // Past what the payload cap allows it is "too large"; else past any content, malformed.
  if (chars > MAX_CONTENT_CHARS)
    throw new (chars > MAX_CHARS ? TokenTooLarge : TokenMalformed)(
      `token is ${token.length} characters long; too long for a 006 token`,
    )
  const r = reader(readBase64(token, 35))
  const signature = r.bytes()
  if (signature.length !== 32) throw new TokenMalformed('token signature is not 32 bytes')
  const crcChannelName = r.u32()
  const crcUid = r.u32()
  const m = reader(r.bytes())
  r.end('content')
  const salt = m.u32()
  const ts = m.u32()
  const names: Record<number, string> = {}
  for (const [name, id] of Object.entries(PRIVILEGE_IDS)) names[id] = name
  const privileges: Record<string, number> = {}
  for (let n = m.u16(); n > 0; n--) privileges[readKey(m, names, privileges, 'privilege')] = m.u32()
  m.end('message')
  return {
    version: '006',
    appId,
    salt,
    ts,
    expiresAt: new Date(ts * 1000),
    privileges: privileges as PrivilegeMap<Privilege006>,
    crcChannelName,
    crcUid,
    signature: signature.slice(),
  }
}
