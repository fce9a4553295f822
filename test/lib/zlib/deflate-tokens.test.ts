// The deflater (src/lib/zlib/) against pako with legacyHash (C zlib 1.2.13 at its defaults) on
// the payloads tokens really carry: UUID and hex channel names, numeric uids and e-mail-like
// accounts, RTC + RTM services, and RTM2 permissions from a few UUIDs up to ~60 KB of
// `chan-<hex>` names, the inputs that take the deflater's hash chains and its fixed/dynamic
// block choice through their token-shaped cases. Payloads are built by buildToken itself (the
// bytes the builders deflate) and by a seeded generator of the same layout with random fields.
//
// Everything is seeded. ZLIB_CORPUS_SCALE (default 0.1, 1 in `npm run test:zlib-long`) scales
// the counts.
import { describe, expect, it } from 'vitest'
import { inflateSync } from 'node:zlib'
import { buildToken } from '../../../src/format/007/pack.js'
import { deflateZlibTransient } from '../../../src/lib/zlib.js'
import { hex, referenceDeflate, Rng, sameBytes } from '../../helpers/zlib-corpus.js'
import { MATCHER_PATHS, onMatcherPath } from '../../helpers/matcher-paths.js'
import type { Rtm2PermissionMap, Service } from '../../../src/types.js'

const SCALE = Number(process.env.ZLIB_CORPUS_SCALE ?? 0.1)
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE))

const APP_ID = '970ca35de60c44645bbae8a215061b33'
const CERTIFICATE = '5cfd2fd1755d40ecb72977518be15d3b'

const hexDigits = (rng: Rng, n: number) => {
  let s = ''
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[rng.int(16)]
  return s
}
const uuid = (rng: Rng) =>
  `${hexDigits(rng, 8)}-${hexDigits(rng, 4)}-4${hexDigits(rng, 3)}-${'89ab'[rng.int(4)]}${hexDigits(rng, 3)}-${hexDigits(rng, 12)}`
const account = (rng: Rng) => `${hexDigits(rng, 8)}.${hexDigits(rng, 6)}@example.com`
const channel = (rng: Rng) =>
  rng.pick([
    () => uuid(rng),
    () => hexDigits(rng, 33),
    () => hexDigits(rng, 32),
    () => `room-${rng.int(100)}`,
  ])()

const PUBLISHER = {
  joinChannel: 3600,
  publishAudioStream: 3600,
  publishVideoStream: 3600,
  publishDataStream: 3600,
}

/** RTM2 permissions: names of about `bytes` in total, UUIDs or `chan-` and 24 hex digits. */
function permissions(rng: Rng, bytes: number) {
  const details: Rtm2PermissionMap & Record<number, Record<number, string[]>> = {
    0: { 0: [], 1: [] },
    1: { 0: [] },
  }
  const slots = [details[0][0], details[0][1], details[1][0]]
  const named = rng.chance(0.5) ? () => uuid(rng) : () => `chan-${hexDigits(rng, 24)}`
  for (let size = 0, i = 0; size < bytes; i++) {
    const name = named()
    slots[i % slots.length].push(name)
    size += 2 + name.length
  }
  return details
}

/** The services of one token of the realistic mix, or of RTM2 with up to `rtm2Bytes` of names. */
function services(rng: Rng, rtm2Bytes: number): Service[] {
  const uid = rng.chance(0.5) ? 1 + rng.int(0xfffffffe) : account(rng)
  switch (rng.int(5)) {
    case 0:
      return [{ type: 'rtc', channelName: channel(rng), uid, privileges: PUBLISHER }]
    case 1:
      return [{ type: 'rtc', channelName: channel(rng), uid, privileges: { joinChannel: 3600 } }]
    case 2: {
      const user = account(rng)
      return [
        { type: 'rtc', channelName: channel(rng), uid: user, privileges: PUBLISHER },
        { type: 'rtm', userId: user, privileges: { login: 3600 } },
      ]
    }
    default:
      return [
        {
          type: 'rtm2',
          userId: account(rng),
          permissions: permissions(rng, rng.chance(0.7) ? rng.range(40, 200) : rng.size(rtm2Bytes)),
          privileges: { login: 3600 },
        },
      ]
  }
}

/** Compares deflateZlibTransient with pako on `payload`; a description when they differ. */
function mismatch(payload: Uint8Array): string | undefined {
  const ours = deflateZlibTransient(payload)
  const ref = referenceDeflate(payload)
  if (sameBytes(ours, ref)) return undefined
  return `payload (${payload.length} bytes) ${hex(payload.subarray(0, 300))}…`
}

describe.each(MATCHER_PATHS)(
  'deflate is byte-identical to C zlib (pako legacyHash) on realistic token payloads, $name',
  (path) => {
    it(`on ${scaled(20_000)} payloads built by buildToken (mix, RTM2 up to ~8 KB)`, () => {
      const rng = new Rng(0x70c3e001)
      const failures: string[] = []
      for (let i = 0, n = scaled(20_000); i < n; i++) {
        const token = buildToken({
          appId: APP_ID,
          appCertificate: CERTIFICATE,
          expire: 3600,
          issueTs: 1_700_000_000 + rng.int(100_000_000),
          salt: 1 + rng.int(99_999_999),
          services: services(rng, 8_000),
        })
        // The token's own compressed bytes are pako's deflate of its payload.
        const compressed = Buffer.from(token.slice(3), 'base64')
        const payload = new Uint8Array(inflateSync(compressed))
        const ref = referenceDeflate(payload)
        if (!sameBytes(compressed, ref) && failures.length < 5) failures.push(`token ${token}`)
        const failure = mismatch(payload)
        if (failure !== undefined && failures.length < 5) failures.push(failure)
      }
      expect(failures).toEqual([])
    })

    it(`on ${scaled(400)} RTM2 payloads of 8 KB to 60 KB (several blocks, long hash chains)`, () => {
      const rng = new Rng(0x70c3e002)
      const failures: string[] = []
      for (let i = 0, n = scaled(400); i < n; i++) {
        const token = buildToken({
          appId: APP_ID,
          appCertificate: CERTIFICATE,
          expire: 3600,
          issueTs: 1_700_000_000,
          salt: 1 + i,
          services: [
            {
              type: 'rtm2',
              userId: account(rng),
              permissions: permissions(rng, rng.range(8_000, 60_000)),
              privileges: { login: 3600 },
            },
          ],
        })
        const payload = new Uint8Array(inflateSync(Buffer.from(token.slice(3), 'base64')))
        const failure = mismatch(payload)
        if (failure !== undefined && failures.length < 5) failures.push(failure)
      }
      expect(failures).toEqual([])
    })

    it(`on ${scaled(20_000)} runs of token-like text: UUIDs, hex ids, accounts, length-prefixed`, () => {
      const rng = new Rng(0x70c3e003)
      const failures: string[] = []
      const encoder = new TextEncoder()
      for (let i = 0, n = scaled(20_000); i < n; i++) {
        const parts: number[] = []
        // A random signature and salt-like bytes, then names with u16 length prefixes.
        for (const b of rng.bytes(rng.int(40))) parts.push(b)
        for (let k = rng.range(1, 40); k > 0; k--) {
          const name = encoder.encode(
            rng.pick([
              () => uuid(rng),
              () => hexDigits(rng, rng.range(1, 40)),
              () => account(rng),
            ])(),
          )
          if (rng.chance(0.8)) parts.push(name.length & 0xff, name.length >> 8)
          for (const b of name) parts.push(b)
        }
        const failure = mismatch(Uint8Array.from(parts))
        if (failure !== undefined && failures.length < 5) failures.push(failure)
      }
      expect(failures).toEqual([])
    })
    onMatcherPath(path)
  },
)
