// Property tests with agora-access-token 2.0.4 as a live oracle: for random inputs, pinned salt
// and time, the same 006 token byte for byte, from the raw builder and from the drop-in
// builders; and each side verifies the other's tokens.
import { createRequire } from 'node:module'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { buildToken006, decodeToken, legacy, verifyToken } from '../../src/index.js'

const require = createRequire(import.meta.url)
const { AccessToken } = require('agora-access-token/src/AccessToken')

const hex32 = fc.string({
  unit: fc.constantFrom(...'0123456789abcdefABCDEF'),
  minLength: 32,
  maxLength: 32,
})
// Any text without lone surrogates (the reference hashes and CRCs UTF-8, which has none).
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.string({ unit: 'binary-ascii', maxLength: 24 }),
)
const u32 = fc.nat({ max: 0xffff_ffff })
const uid = fc.oneof(u32, text)
const privileges = fc.dictionary(fc.nat({ max: 0xffff }).map(String), u32, { maxKeys: 8 })

/** The oracle's token for the given fields: its own AccessToken class with salt and ts set. */
function oracleToken(
  appId: string,
  cert: string,
  channel: string,
  uid: string | number,
  salt: number,
  ts: number,
  privs: Record<string, number>,
) {
  const token = new AccessToken(appId, cert, channel, uid)
  token.salt = salt
  token.ts = ts
  for (const [id, time] of Object.entries(privs)) token.addPriviledge(id, time)
  return token.build() as string
}

/**
 * The oracle's check of a token: parse it with its fromString, sign the parsed message again
 * with the certificate, channel and uid, and require the very same token string.
 */
function oracleVerifies(
  token: string,
  cert: string,
  channel: string,
  uid: string | number,
): boolean {
  const parsed = new AccessToken('', '', '', '')
  if (!parsed.fromString(token)) return false
  const again = new AccessToken(token.slice(3, 35), cert, channel, uid)
  again.salt = parsed.salt
  again.ts = parsed.ts
  again.messages = parsed.messages
  return again.build() === token
}

const uidText = (u: string | number) => (u === 0 ? '' : String(u))

describe('buildToken006 and the oracle', () => {
  it('give the same token for the same inputs', () => {
    fc.assert(
      fc.property(
        hex32,
        hex32,
        text,
        uid,
        u32,
        u32,
        privileges,
        (appId, cert, channel, u, salt, ts, privs) => {
          const ours = buildToken006({
            appId,
            appCertificate: cert,
            channelName: channel,
            uid: u,
            privileges: privs,
            ts,
            salt,
          })
          expect(ours).toBe(oracleToken(appId, cert, channel, u, salt, ts, privs))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('verify each other’s tokens', () => {
    fc.assert(
      fc.property(
        hex32,
        hex32,
        text,
        uid,
        u32,
        privileges,
        (appId, cert, channel, u, salt, privs) => {
          const ts = 2_000_000_000
          const at = new Date((ts - 10) * 1000)
          const live = Object.fromEntries(
            Object.entries(privs).map(([id, t]) => [id, t === 0 ? 0 : Math.max(t, ts)]),
          )
          const ours = buildToken006({
            appId,
            appCertificate: cert,
            channelName: channel,
            uid: u,
            privileges: live,
            ts,
            salt,
          })
          expect(oracleVerifies(ours, cert, channel, u)).toBe(true)
          expect(
            oracleVerifies(
              ours,
              cert.replace(/^./, (c) => (c === '0' ? '1' : '0')),
              channel,
              u,
            ),
          ).toBe(false)

          const theirs = oracleToken(appId, cert, channel, u, salt, ts, live)
          const verified = verifyToken(theirs, cert, {
            channelName: channel,
            uid: uidText(u),
            currentDate: at,
          })
          expect(verified).toMatchObject({ version: '006', appId, salt, ts })
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('the legacy builders and the oracle’s builders', () => {
  // The oracle reads the clock with `new Date()` (pinned with fake Date timers) and draws its
  // salt once, when its module loads: floor(Math.random() * 0xFFFFFFFF). It is reloaded with
  // Math.random stubbed for each case.
  function oracleBuilders(salt: number, clockMs: number) {
    for (const key of Object.keys(require.cache)) {
      if (key.includes('/node_modules/agora-access-token/')) delete require.cache[key]
    }
    const random = vi.spyOn(Math, 'random').mockReturnValue((salt + 0.5) / 0xffffffff)
    try {
      const fresh = require('agora-access-token')
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(clockMs)
      return fresh
    } finally {
      random.mockRestore()
    }
  }
  afterEach(() => {
    vi.useRealTimers()
  })

  // The guards refuse an upper-case certificate and the RTC account "0" (see builders/traps).
  const lowerHex32 = hex32.map((h) => h.toLowerCase())
  const appArgs = fc.tuple(hex32, lowerHex32)
  const name = text.filter((s) => s !== 'undefined' && s !== 'null')
  const account = name.filter((s) => s !== '')
  const clockMs = fc.integer({ min: 946_684_800_000, max: (0xffff_ffff - 86400) * 1000 })
  const salt = fc.integer({ min: 1, max: 99_999_999 })
  const expireTs = fc.oneof(fc.constant(0), fc.integer({ min: 946_684_800, max: 0xffff_ffff }))
  const role = fc.constantFrom(0, 1, 2, 101)

  const call = fc.oneof(
    fc.tuple(fc.constant('RtcTokenBuilder.buildTokenWithUid'), appArgs, name, u32, role, expireTs),
    fc.tuple(
      fc.constant('RtcTokenBuilder.buildTokenWithAccount'),
      appArgs,
      name,
      account.filter((s) => s !== '0'),
      role,
      expireTs,
    ),
    fc.tuple(fc.constant('RtmTokenBuilder.buildToken'), appArgs, account, fc.constant(1), expireTs),
  )

  it('give the same token under the same clock and salt', () => {
    fc.assert(
      fc.property(call, clockMs, salt, ([builder, [appId, cert], ...args], ms, s) => {
        const [group, method] = builder.split('.')
        const ours = (legacy.createLegacyBuilders({ now: () => ms, salt: () => s }) as any)[group][
          method
        ](appId, cert, ...args)
        const reference = oracleBuilders(s, ms)
        const theirs = reference[group][method](appId, cert, ...args)
        vi.useRealTimers()
        // The pinning itself: the oracle's token carries the salt and ts asked for.
        expect(decodeToken(theirs)).toMatchObject({ salt: s, ts: Math.floor(ms / 1000) + 86400 })
        expect(ours).toBe(theirs)
      }),
      { numRuns: 120 },
    )
  })
})
