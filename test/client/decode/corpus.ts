// The differential corpus of the token keeper's reader (src/client/decode/) against the library's
// decodeToken: fast-check arbitraries for valid tokens of every service type (the library's
// builders, agora-token's and the legacy 006 builders) and for damaged ones (text edits, edits of
// the compressed bytes, payloads re-compressed with other zlib settings, padding bits, payloads
// over the 128 KiB cap). Shared by reader.test.ts (npm test) and fuzz.long.ts (npm run fuzz:client).
import { createRequire } from 'node:module'
import { inflateSync } from 'node:zlib'
import fc from 'fast-check'
import * as pako from 'pako'
import { readToken } from '../../../src/client/decode/index.js'
import { TokenError, buildToken, buildToken006, decodeToken } from '../../../src/index.js'
import { buildInput, hex32, uint32 } from '../../helpers/arbitraries.js'
import { mutateBytes, mutateText } from '../../helpers/mutate.mjs'
import { Rng, corruptStream, craftedStream, pakoVariantStream } from '../../helpers/zlib-corpus.js'

const require = createRequire(import.meta.url)
const agora = require('agora-token')
const agora006 = require('agora-access-token')

/** decodeToken's default payload cap. */
export const CAP = 131_072

/** What one decoder made of a token: the decoded token, or the code of the TokenError thrown. */
export type Outcome = { ok: unknown } | { code: string }

/** Runs a decoder; anything thrown that is not a TokenError is rethrown (a test failure). */
export function outcome(decode: () => unknown): Outcome {
  try {
    return { ok: decode() }
  } catch (error) {
    if (error instanceof TokenError) return { code: error.code }
    throw error
  }
}

/** Both decoders' outcomes for `token`. */
export function bothOutcomes(token: string): { library: Outcome; reader: Outcome } {
  return { library: outcome(() => decodeToken(token)), reader: outcome(() => readToken(token)) }
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const unbase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'))

// --- Valid tokens -------------------------------------------------------------------------------

/** Channel names and accounts as people use them: UUIDs, unicode, empty, numeric. */
const name = fc.oneof(
  fc.uuid(),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constant(''),
  uint32.map(String),
)
const account = fc.oneof(fc.uuid(), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }))
const uid = fc.integer({ min: 0, max: 0xffffffff })
const lifetime = fc.oneof(fc.integer({ min: 1, max: 86_400 }), fc.constant(0), uint32)
const role = fc.constantFrom(1, 2)

/** An RTM2 permission set of agora-token, with names of resources of each type. */
const permissions = fc
  .array(
    fc.tuple(
      fc.integer({ min: 0, max: 4 }),
      fc.integer({ min: 0, max: 1 }),
      fc.array(name, { maxLength: 3 }),
    ),
    { maxLength: 5 },
  )
  .map((entries) => {
    const set = new agora.Rtm2Permissions()
    for (const [resource, permission, names] of entries) set.add(resource, permission, names)
    return set
  })

/** A token from one of agora-token's builders (the official 007 implementation). */
const agoraToken: fc.Arbitrary<string> = fc
  .record({ appId: hex32, cert: hex32.map((c) => c.toLowerCase()) })
  .chain(({ appId, cert }) =>
    fc.oneof(
      fc
        .tuple(name, uid, role, lifetime, lifetime)
        .map((a) => agora.RtcTokenBuilder.buildTokenWithUid(appId, cert, ...a)),
      fc
        .tuple(name, account, role, lifetime, lifetime)
        .map((a) => agora.RtcTokenBuilder.buildTokenWithUserAccount(appId, cert, ...a)),
      fc
        .tuple(name, uid, lifetime, lifetime, lifetime, lifetime, lifetime)
        .map((a) => agora.RtcTokenBuilder.buildTokenWithUidAndPrivilege(appId, cert, ...a)),
      fc
        .tuple(name, account, role, lifetime, lifetime)
        .map((a) => agora.RtcTokenBuilder.buildTokenWithRtm(appId, cert, ...a)),
      fc.tuple(account, lifetime).map((a) => agora.RtmTokenBuilder.buildToken(appId, cert, ...a)),
      fc
        .tuple(account, permissions, lifetime)
        .map((a) => agora.RtmTokenBuilder.buildTokenWithPermissions(appId, cert, ...a)),
      fc
        .tuple(account, lifetime)
        .map((a) => agora.ChatTokenBuilder.buildUserToken(appId, cert, ...a)),
      lifetime.map((e) => agora.ChatTokenBuilder.buildAppToken(appId, cert, e)),
      fc
        .tuple(fc.uuid(), fc.uuid(), fc.integer({ min: -32768, max: 32767 }), lifetime)
        .map((a) => agora.ApaasTokenBuilder.buildRoomUserToken(appId, cert, ...a)),
      fc.constant(null).map(() => agora.FpaTokenBuilder.buildToken(appId, cert)),
    ),
  )

/** A token from the library's buildToken: every service type, RTM2 trees, ids by number. */
const libraryToken = buildInput.map((input) => buildToken({ ...input, maxPayloadBytes: 1 << 20 }))

/** A 006 token from the library's buildToken006 or agora-access-token's builders. */
const token006: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({
      appId: hex32,
      appCertificate: hex32,
      channelName: name,
      uid: fc.oneof(uid, account),
      salt: uint32,
      ts: uint32,
      privileges: fc.dictionary(
        fc.oneof(
          fc.constantFrom('joinChannel', 'publishAudioStream', 'rtmLogin'),
          fc.integer({ min: 5, max: 65535 }).map(String),
        ),
        uint32,
        { maxKeys: 6 },
      ),
    })
    .map((input) => buildToken006(input as any)),
  fc
    .tuple(hex32, hex32, name, uid, role, uint32)
    .map(([appId, cert, ...a]) => agora006.RtcTokenBuilder.buildTokenWithUid(appId, cert, ...a)),
  fc
    .tuple(hex32, hex32, account, uint32)
    .map(([appId, cert, user, ts]) =>
      agora006.RtmTokenBuilder.buildToken(appId, cert, user, 1, ts),
    ),
)

/** A valid 007 token. */
export const token007 = fc.oneof(agoraToken, libraryToken)
/** A valid token of either version. */
export const validToken = fc.oneof(
  { weight: 3, arbitrary: token007 },
  { weight: 1, arbitrary: token006 },
)

// --- Damaged tokens -----------------------------------------------------------------------------

/** The payload of a 007 token with `extra` bytes more, and another service count. */
function payloadVariant(rng: Rng, payload: Uint8Array): Uint8Array {
  switch (rng.int(6)) {
    case 0:
      return payload
    case 1:
      // Truncated, or with bytes after the last service.
      return rng.chance(0.5)
        ? payload.subarray(0, rng.int(payload.length))
        : Uint8Array.from([...payload, ...rng.bytes(rng.range(1, 8))])
    case 2:
      return Uint8Array.from(mutateBytes(payload, (n: number) => rng.int(n)))
    case 3:
      return overCap(rng, payload)
    case 4:
      return withUnknownService(rng, payload)
    default: {
      // One byte changed in the services part: types, counts, lengths, UTF-8.
      const copy = payload.slice()
      const at = Math.min(copy.length - 1, 34 + 34 + 12 + rng.int(Math.max(1, copy.length - 80)))
      copy[at] = rng.chance(0.5) ? rng.int(256) : copy[at] ^ (1 << rng.int(8))
      return copy
    }
  }
}

/** Filled up to about the 128 KiB cap: just under, at, just over, or far over it. */
function overCap(rng: Rng, payload: Uint8Array): Uint8Array {
  const size = rng.pick([CAP - 1, CAP, CAP + 1, CAP + rng.range(2, 5000), 3 * CAP])
  const out = new Uint8Array(Math.max(size, payload.length))
  out.set(payload)
  if (rng.chance(0.5)) for (let i = payload.length; i < out.length; i++) out[i] = rng.int(4)
  return out
}

/**
 * One more service of a type no one defines, then filler: accepted (with unknownServiceType)
 * when the whole fits the cap, since the rest of an unknown service is opaque.
 */
function withUnknownService(rng: Rng, payload: Uint8Array): Uint8Array {
  // The service count follows the signature (2 + 32), the app id (2 + 32) and three u32s.
  const countAt = 2 + 32 + 2 + (payload[34] | (payload[35] << 8)) + 12
  if (countAt + 2 > payload.length) return payload
  const copy = Uint8Array.from([
    ...payload,
    ...[rng.pick([0, 11, 12, 300, 65535]), 0],
    ...rng.bytes(rng.int(20)),
  ])
  const count = (copy[countAt] | (copy[countAt + 1] << 8)) + 1
  copy[countAt] = count & 255
  copy[countAt + 1] = count >>> 8
  // The type's high byte was written as 0 above; make it 255 sometimes (type 65535, or 0xff00 + x).
  if (rng.chance(0.2)) copy[payload.length + 1] = 255
  return rng.chance(0.2) ? overCap(rng, copy) : copy
}

/** Sets one of the 7 high bits of the stream's last deflate byte: padding, or data. */
function setHighBit(rng: Rng, stream: Uint8Array): Uint8Array {
  const copy = stream.slice()
  if (copy.length > 6) copy[copy.length - 5] |= 1 << rng.range(1, 7)
  return copy
}

/** A stream of `payload` with stored (level 0), fixed or dynamic blocks, with other settings. */
function recompressed(rng: Rng, payload: Uint8Array): Uint8Array {
  if (rng.chance(0.2)) {
    return pako.deflate(payload, {
      level: rng.pick([0, 1, 9]),
      strategy: rng.pick([pako.Z_FIXED, pako.Z_DEFAULT_STRATEGY, pako.Z_HUFFMAN_ONLY]),
    })
  }
  return pakoVariantStream(rng, payload)
}

/** A damaged form of a valid 007 token: mostly refused, sometimes another text of it. */
function damage007(token: string, seed: number): string {
  const rng = new Rng(seed)
  const rand = (n: number) => rng.int(n)
  const compressed = unbase64(token.slice(3))
  switch (rng.int(7)) {
    case 0:
      return mutateText(token, rand)
    case 1:
      return `007${base64(Uint8Array.from(mutateBytes(compressed, rand)))}`
    case 2:
      return `007${base64(corruptStream(rng, compressed))}`
    case 3:
      return `007${base64(setHighBit(rng, rng.chance(0.5) ? compressed : recompressed(rng, inflateSync(compressed))))}`
    case 4:
      return `007${base64(craftedStream(rng))}`
    default: {
      let stream = recompressed(rng, payloadVariant(rng, inflateSync(compressed)))
      if (rng.chance(0.15)) stream = Uint8Array.from([...stream, ...rng.bytes(rng.range(1, 6))])
      return `007${base64(stream)}`
    }
  }
}

/** A damaged form of a valid 006 token. */
function damage006(token: string, seed: number): string {
  const rng = new Rng(seed)
  const rand = (n: number) => rng.int(n)
  const content = unbase64(token.slice(35))
  switch (rng.int(4)) {
    case 0:
    case 1:
      return mutateText(token, rand)
    case 2:
      return token.slice(0, 35) + base64(Uint8Array.from(mutateBytes(content, rand)))
    default: {
      // Past the longest content, or padded to a length around the limits.
      const chars = rng.pick([87_436, 87_440, 87_444, 174_764, 174_768])
      return token.slice(0, 35) + 'A'.repeat(chars)
    }
  }
}

/** A damaged token of either version. */
export const damagedToken = fc
  .tuple(validToken, fc.integer({ min: 0, max: 0x7fffffff }))
  .map(([token, seed]) =>
    token.startsWith('007') ? damage007(token, seed) : damage006(token, seed),
  )

/** Any string a token keeper might be handed, of any version or none. */
export const anyText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }).map((s) => `007${s}`),
  fc.string({ maxLength: 60 }).map((s) => `006${s}`),
)

/** Every kind of input, weighted towards the interesting ones. */
export const corpusToken = fc.oneof(
  { weight: 4, arbitrary: validToken },
  { weight: 10, arbitrary: damagedToken },
  { weight: 1, arbitrary: anyText },
)
