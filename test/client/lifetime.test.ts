// Where a fetched token sits on the local clock: its end (earliest privilege first), its renewal
// time, and what counts as clock skew. Tokens come from our builders.
import { describe, expect, it } from 'vitest'
import { placeToken, tokenTimes } from '../../src/client/lifetime.js'
import type { RefreshBefore } from '../../src/client/options.js'
import { buildToken, buildToken006, decodeToken } from '../../src/index.js'

const appId = '970CA35de60c44645bbae8a215061b33'
const appCertificate = '5cfd2fd1755d40ecb72977518be15d3b'
const ISSUE = Date.UTC(2030, 0, 1) / 1000
const DEFAULT: RefreshBefore = { kind: 'default' }

function token007(expire: number, privileges: Record<string, number>) {
  return decodeToken(
    buildToken({
      appId,
      appCertificate,
      issueTs: ISSUE,
      expire,
      salt: 1,
      services: [
        { type: 'rtc', channelName: 'room', uid: '42', privileges },
        { type: 'rtm', userId: 'alice', privileges: { login: 0 } },
      ],
    }),
  )
}

describe('tokenTimes', () => {
  it('ends a 007 token at its earliest non-zero privilege, or at its own expiry', () => {
    expect(tokenTimes(token007(3600, { joinChannel: 0, publishAudioStream: 600 }))).toEqual({
      issuedMs: ISSUE * 1000,
      endMs: (ISSUE + 600) * 1000,
    })
    expect(tokenTimes(token007(3600, { joinChannel: 0 })).endMs).toBe((ISSUE + 3600) * 1000)
    // A privilege that outlives the token does not extend it.
    expect(tokenTimes(token007(3600, { joinChannel: 7200 })).endMs).toBe((ISSUE + 3600) * 1000)
  })

  it('ends a 006 token at the earliest of ts and its non-zero absolute privilege times', () => {
    const decoded = decodeToken(
      buildToken006({
        appId,
        appCertificate,
        channelName: 'room',
        uid: 42,
        salt: 1,
        ts: ISSUE + 86_400,
        privileges: { joinChannel: ISSUE + 500, publishAudioStream: 0 },
      }),
    )
    expect(tokenTimes(decoded)).toEqual({ endMs: (ISSUE + 500) * 1000 })
  })
})

describe('placeToken', () => {
  const at = ISSUE * 1000

  it('keeps the server end when the clocks agree, bounded by the lifetime after arrival', () => {
    const placed = placeToken(token007(100, { joinChannel: 0 }), at, at + 200, DEFAULT)
    expect(placed).toEqual({ endMs: at + 100_000, refreshAtMs: at + 80_000 })
  })

  it('allows for the whole-second issue time without calling it skew', () => {
    // Issued at x.999 s, floored to x s; the request began 0.9 s after x.
    const placed = placeToken(token007(100, { joinChannel: 0 }), at + 900, at + 950, DEFAULT)
    expect(placed.skewMs).toBeUndefined()
    expect(placed.endMs).toBe(at + 100_000)
  })

  it('calls a difference skew when it exceeds 10 s, or a quarter of a short lifetime', () => {
    const hour = token007(3600, { joinChannel: 0 })
    expect(placeToken(hour, at - 9_000, at - 9_000, DEFAULT).skewMs).toBeUndefined()
    expect(placeToken(hour, at - 11_000, at - 11_000, DEFAULT).skewMs).toBe(11_000)
    const short = token007(20, { joinChannel: 0 })
    expect(placeToken(short, at - 4_000, at - 4_000, DEFAULT).skewMs).toBeUndefined()
    const skewed = placeToken(short, at - 6_000, at - 6_000, DEFAULT)
    expect(skewed.skewMs).toBe(6_000)
    // Timed from the request's start by the lifetime: 20 s, renewed at 16 s.
    expect(skewed).toMatchObject({ endMs: at - 6_000 + 20_000, refreshAtMs: at - 6_000 + 16_000 })
  })

  it('measures a server clock behind ours from the start of the request', () => {
    const placed = placeToken(token007(3600, { joinChannel: 0 }), at + 60_000, at + 61_000, DEFAULT)
    expect(placed.skewMs).toBe(-59_000)
    expect(placed.endMs).toBe(at + 60_000 + 3_600_000)
  })

  it('applies refreshBefore as a fraction, a duration, or the default, never past half', () => {
    const hour = token007(3600, { joinChannel: 0 })
    const refreshAt = (before: RefreshBefore) =>
      (placeToken(hour, at, at, before).refreshAtMs - at) / 1000
    expect(refreshAt(DEFAULT)).toBe(3540)
    expect(refreshAt({ kind: 'fraction', fraction: 0.25 })).toBe(2700)
    expect(refreshAt({ kind: 'duration', ms: 300_000 })).toBe(3300)
    expect(refreshAt({ kind: 'duration', ms: 3_000_000 })).toBe(1800)
  })

  it('refuses a token without time left', () => {
    expect(() => placeToken(token007(0, { joinChannel: 0 }), at, at, DEFAULT)).toThrow(
      expect.objectContaining({ code: 'ERR_TOKEN_EXPIRED' }),
    )
    expect(() => placeToken(token007(10, { joinChannel: 0 }), at, at + 10_000, DEFAULT)).toThrow(
      /already expired/,
    )
  })
})
