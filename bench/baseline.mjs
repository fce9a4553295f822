// The "native" baseline: a straightforward AccessToken2 builder and verifier on node:crypto
// (createHmac, timingSafeEqual) and node:zlib (deflateSync, inflateSync) with Buffer packing.
// It shows what Node's C++ HMAC and zlib buy without agora-token's object model. Its deflate is
// Node's bundled zlib, so its compressed bytes differ from standard zlib (FORMAT.md); the
// payload is the same, which bench.mjs checks before timing anything.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto'
import { deflateSync, inflateSync } from 'node:zlib'

const u16 = (v) => {
  const b = Buffer.allocUnsafe(2)
  b.writeUInt16LE(v)
  return b
}
const u32 = (v) => {
  const b = Buffer.allocUnsafe(4)
  b.writeUInt32LE(v)
  return b
}
const str = (s) => {
  const bytes = Buffer.from(s, 'utf8')
  return Buffer.concat([u16(bytes.length), bytes])
}
const privileges = (map) => {
  const keys = Object.keys(map)
    .map(Number)
    .sort((a, b) => a - b)
  return Buffer.concat([u16(keys.length), ...keys.flatMap((k) => [u16(k), u32(map[k])])])
}

/** RTC service (type 1); `privilegeExpire` for join and, for a publisher, the three publish privileges. */
export function rtcService(channelName, uid, publisher, privilegeExpire) {
  const map = { 1: privilegeExpire }
  if (publisher) Object.assign(map, { 2: privilegeExpire, 3: privilegeExpire, 4: privilegeExpire })
  return {
    type: 1,
    bytes: Buffer.concat([
      u16(1),
      privileges(map),
      str(channelName),
      str(uid === 0 ? '' : String(uid)),
    ]),
  }
}

/** RTM service (type 2) with the login privilege. */
export function rtmService(userId, expire) {
  return { type: 2, bytes: Buffer.concat([u16(2), privileges({ 1: expire }), str(String(userId))]) }
}

/** RTM2 service (type 8): `details` is resource type → permission type → resource names. */
export function rtm2Service(userId, details, expire) {
  const parts = [u16(8), privileges({ 1: expire }), str(String(userId))]
  const types = Object.keys(details)
    .map(Number)
    .sort((a, b) => a - b)
  parts.push(u16(types.length))
  for (const type of types) {
    const perms = Object.keys(details[type])
      .map(Number)
      .sort((a, b) => a - b)
    parts.push(u16(type), u16(perms.length))
    for (const perm of perms) {
      const resources = details[type][perm]
      parts.push(u16(perm), u16(resources.length), ...resources.map(str))
    }
  }
  return { type: 8, bytes: Buffer.concat(parts) }
}

/** Builds a 007 token; `issueTs` and `salt` default to now and a random salt, as the references do. */
export function build(
  appId,
  certificate,
  expire,
  services,
  issueTs = Math.floor(Date.now() / 1000),
  salt = randomInt(1, 100_000_000),
) {
  const sorted = [...services].sort((a, b) => a.type - b.type)
  const info = Buffer.concat([
    str(appId),
    u32(issueTs),
    u32(expire),
    u32(salt),
    u16(sorted.length),
    ...sorted.map((s) => s.bytes),
  ])
  const k1 = createHmac('sha256', u32(issueTs)).update(certificate, 'latin1').digest()
  const signingKey = createHmac('sha256', u32(salt)).update(k1).digest()
  const signature = createHmac('sha256', signingKey).update(info).digest()
  return '007' + deflateSync(Buffer.concat([u16(32), signature, info])).toString('base64')
}

/** A small bounds-checked little-endian reader over a Buffer. */
class Reader {
  constructor(buf) {
    this.buf = buf
    this.pos = 0
  }
  u16() {
    const v = this.buf.readUInt16LE(this.pos)
    this.pos += 2
    return v
  }
  u32() {
    const v = this.buf.readUInt32LE(this.pos)
    this.pos += 4
    return v
  }
  bytes() {
    const n = this.u16()
    if (this.pos + n > this.buf.length) throw new RangeError('string past the end')
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }
  string() {
    return this.bytes().toString('utf8')
  }
  privileges() {
    const out = {}
    for (let n = this.u16(); n > 0; n--) out[this.u16()] = this.u32()
    return out
  }
}

/**
 * Parses a 007 token (services rtc, rtm, rtm2) and checks its signature; returns the parsed
 * token, or null when it is malformed or the signature does not match.
 */
export function verify(token, certificate) {
  if (!token.startsWith('007')) return null
  let payload
  try {
    payload = inflateSync(Buffer.from(token.slice(3), 'base64'))
  } catch {
    return null
  }
  const r = new Reader(payload)
  try {
    const signature = r.bytes()
    const info = payload.subarray(r.pos)
    const parsed = {
      appId: r.string(),
      issueTs: r.u32(),
      expire: r.u32(),
      salt: r.u32(),
      services: [],
    }
    for (let n = r.u16(); n > 0; n--) {
      const type = r.u16()
      const service = { type, privileges: r.privileges() }
      if (type === 1) Object.assign(service, { channelName: r.string(), uid: r.string() })
      else if (type === 2) service.userId = r.string()
      else if (type === 8) {
        service.userId = r.string()
        service.permissions = {}
        for (let t = r.u16(); t > 0; t--) {
          const perms = (service.permissions[r.u16()] = {})
          for (let p = r.u16(); p > 0; p--) {
            const id = r.u16()
            const list = (perms[id] = [])
            for (let k = r.u16(); k > 0; k--) list.push(r.string())
          }
        }
      } else break
      parsed.services.push(service)
    }
    const k1 = createHmac('sha256', u32(parsed.issueTs)).update(certificate, 'latin1').digest()
    const signingKey = createHmac('sha256', u32(parsed.salt)).update(k1).digest()
    const expected = createHmac('sha256', signingKey).update(info).digest()
    return signature.length === 32 && timingSafeEqual(signature, expected) ? parsed : null
  } catch {
    return null
  }
}
