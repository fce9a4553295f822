// An AccessToken2 ("007") as the library's decodeToken reads it (src/format/007/parse.ts): "007",
// canonical base64 of exactly one zlib stream, then the signature, the signed header and the
// services, with nothing after the last service unless an unknown service type stopped parsing.
import type { DecodedService, DecodedToken007 } from '../../index.js'
import { TokenMalformed, TokenTooLarge } from '../../index.js'
import { RTM2_PERMISSIONS, RTM2_RESOURCES, SERVICE_SPECS } from '../../lib/service-table.js'
import { readBase64 } from './base64.js'
import { inflate } from './inflate.js'
import { type Reader, reader, readKey } from './reader.js'

/** decodeToken's default maxPayloadBytes (128 KiB). */
export const MAX_PAYLOAD_BYTES = 131_072
/**
 * The longest 007 token whose payload can inflate within the limit, as src/format/007/parse.ts
 * computes it for 128 KiB: 3 + 4 * ceil((131072 + 64 + 5 * ceil(131072 / 16384)) / 3). Longer
 * ones are refused before any decoding, as decodeToken does.
 */
const MAX_CHARS = 174_907

/** The RTM2 permission tree: resource type → permission → resource names. */
function readPermissions(r: Reader): Record<string, Record<string, string[]>> {
  const tree: Record<string, Record<string, string[]>> = {}
  for (let n = r.u16(); n > 0; n--) {
    const permissions: Record<string, string[]> = {}
    tree[readKey(r, RTM2_RESOURCES, tree, 'RTM2 resource type')] = permissions
    for (let m = r.u16(); m > 0; m--) {
      const name = readKey(r, RTM2_PERMISSIONS, permissions, 'RTM2 permission')
      const names: string[] = []
      for (let k = r.u16(); k > 0; k--) names.push(r.text())
      permissions[name] = names
    }
  }
  return tree
}

/**
 * Decodes a token that starts with "007".
 * @throws {TokenError} `ERR_TOKEN_MALFORMED` or `ERR_TOKEN_TOO_LARGE`
 */
export function read007(token: string): DecodedToken007 {
  if (token.length > MAX_CHARS)
    throw new TokenTooLarge(`token is ${token.length} characters long; at most ${MAX_CHARS}`)
  const r = reader(inflate(readBase64(token, 3), MAX_PAYLOAD_BYTES))
  const signature = r.bytes()
  if (signature.length !== 32) throw new TokenMalformed('token signature is not 32 bytes')
  const appId = r.text()
  const issueTs = r.u32()
  const expire = r.u32()
  const salt = r.u32()
  const services: DecodedService[] = []
  let unknownServiceType: number | undefined
  for (let n = r.u16(); n > 0; n--) {
    const type = r.u16()
    const spec = SERVICE_SPECS.find((s) => s.id === type)
    if (!spec) {
      // An unknown service's length is unknown: the rest is opaque (but signed).
      unknownServiceType = type
      break
    }
    const privileges: Record<string, number> = {}
    for (let m = r.u16(); m > 0; m--)
      privileges[readKey(r, spec.privileges, privileges, 'privilege')] = r.u32()
    const service: Record<string, unknown> = { type: spec.name }
    for (const [name, kind] of spec.fields)
      service[name] =
        kind === 'i16' ? (r.u16() << 16) >> 16 : kind === 'rtm2' ? readPermissions(r) : r.text()
    service.privileges = privileges
    services.push(service as unknown as DecodedService)
  }
  if (unknownServiceType === undefined) r.end('payload')
  const decoded: DecodedToken007 = {
    version: '007',
    appId,
    issueTs,
    expire,
    salt,
    issuedAt: new Date(issueTs * 1000),
    expiresAt: new Date((issueTs + expire) * 1000),
    services,
    signature: signature.slice(),
  }
  if (unknownServiceType !== undefined) decoded.unknownServiceType = unknownServiceType
  return decoded
}
