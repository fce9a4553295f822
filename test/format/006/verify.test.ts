// Verifying legacy "006" tokens (src/format/006/verify.ts): what verification needs and its
// order (structure, channel and uid, signature, app id, time), and the any-uid opt-in.
import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { verifyToken } from '../../../src/index.js'
import { otherCertificate, vectorFiles } from '../../helpers/vectors.js'
import {
  APP_ID,
  CERT,
  CHANNEL,
  TS,
  UID,
  at,
  errorOf,
  options,
  token,
  valid,
} from './token006-packer.js'

describe('006 any-uid tokens (issue 11, finding 1)', () => {
  it('an unsigned CRC-32 cannot turn a token for (room, 142) into one for (room142, any uid)', () => {
    // The attack: the signature covers appId + "room" + "142" + m, which is also appId +
    // "room142" + "" + m; rewriting the two unsigned CRC-32s claims "channel room142, uid 0".
    const forged = token({ channel: 'room', uid: '142', crcChannel: crc32('room142'), crcUid: 0 })
    const e = errorOf(() =>
      verifyToken(forged, CERT, { ...options, channelName: 'room142', uid: 7 }),
    )
    expect(e).toMatchObject({ code: 'ERR_TOKEN_CLAIM', claim: 'uid' })
    expect(e.message).toContain('allowAnyUid006')
    // Without the rewrite the CRCs still say (room, 142): the same refusal, for the same reason.
    const plain = token({ channel: 'room', uid: '142' })
    expect(
      errorOf(() => verifyToken(plain, CERT, { ...options, channelName: 'room142', uid: 7 })).code,
    ).toBe('ERR_TOKEN_CLAIM')
  })

  it('a token signed for uid 0 admits another uid only with allowAnyUid006: true', () => {
    const anyUid = token({ uid: '' })
    const e = errorOf(() => verifyToken(anyUid, CERT, { ...options, uid: 9 }))
    expect(e).toMatchObject({ code: 'ERR_TOKEN_CLAIM', claim: 'uid' })
    expect(e.message).toMatch(/signed for any uid \(uid 0\) in channel "room-1", not for uid "9"/)
    expect(verifyToken(anyUid, CERT, { ...options, uid: 9, allowAnyUid006: true })).toMatchObject({
      version: '006',
      certificateIndex: 0,
    })
    // Asking for uid 0 itself is a direct match and needs no opt-in.
    expect(verifyToken(anyUid, CERT, { ...options, uid: 0 }).version).toBe('006')
  })

  it('opting in does not accept a token signed for another uid, nor a zeroed uid CRC', () => {
    const forUid42 = token({ uid: '42', crcUid: 0 })
    const e = errorOf(() =>
      verifyToken(forUid42, CERT, { ...options, uid: 7, allowAnyUid006: true }),
    )
    expect(['ERR_TOKEN_CLAIM', 'ERR_TOKEN_SIGNATURE']).toContain(e.code)
    // The opt-in with a token signed for any uid but a CRC-32 field that says another uid.
    const altered = token({ uid: '', crcUid: crc32('5') })
    expect(
      errorOf(() => verifyToken(altered, CERT, { ...options, uid: 5, allowAnyUid006: true })).code,
    ).toBe('ERR_TOKEN_MALFORMED')
  })
})

describe('verifyToken of a 006 token', () => {
  it('verifies with the certificate, channel and uid it was made for', () => {
    expect(verifyToken(valid, CERT, options)).toMatchObject({
      version: '006',
      appId: APP_ID,
      certificateIndex: 0,
    })
  })

  it('takes the uid as a number too (0 is uid "", any uid)', () => {
    expect(verifyToken(valid, CERT, { ...options, uid: 42 }).version).toBe('006')
    const anyUid = token({ uid: '' })
    expect(verifyToken(anyUid, CERT, { ...options, uid: 0 }).version).toBe('006')
    expect(verifyToken(anyUid, CERT, { ...options, uid: '' }).version).toBe('006')
    expect(
      verifyToken(anyUid, CERT, { ...options, uid: 'alice', allowAnyUid006: true }).version,
    ).toBe('006')
    // A token for a literal account "0" is not an any-uid token.
    expect(
      errorOf(() => verifyToken(token({ uid: '0' }), CERT, { ...options, uid: 7 })),
    ).toMatchObject({
      code: 'ERR_TOKEN_CLAIM',
      claim: 'uid',
    })
  })

  it('needs channelName and uid, and says so (ERR_TOKEN_CLAIM)', () => {
    const noChannel = errorOf(() => verifyToken(valid, CERT, { uid: UID, currentDate: at }))
    expect(noChannel).toMatchObject({
      code: 'ERR_TOKEN_CLAIM',
      claim: 'channelName',
      token: undefined,
    })
    expect(noChannel.message).toMatch(/needs options\.channelName and options\.uid/)
    expect(noChannel.message).toMatch(/CRC-32/)
    expect(
      errorOf(() => verifyToken(valid, CERT, { channelName: CHANNEL, currentDate: at })),
    ).toMatchObject({
      code: 'ERR_TOKEN_CLAIM',
      claim: 'uid',
    })
  })

  it('refuses channelName and uid of the wrong type (ERR_INVALID_ARGUMENT)', () => {
    for (const bad of [
      { channelName: 5 },
      { uid: -1 },
      { uid: 1.5 },
      { uid: null },
      { channelName: '\uD800' },
    ]) {
      const err = errorOf(() => verifyToken(valid, CERT, { ...options, ...(bad as object) }))
      expect(err.code).toBe('ERR_INVALID_ARGUMENT')
      expect(err.message).toMatch(/^options\.(channelName|uid)/)
    }
  })

  it('says which claim differs when the token was made for another channel or uid', () => {
    const hex8 = (n: number) => '0x' + n.toString(16).padStart(8, '0')
    const err = errorOf(() => verifyToken(valid, CERT, { ...options, channelName: 'room-2' }))
    expect(err).toMatchObject({ code: 'ERR_TOKEN_CLAIM', claim: 'channelName', token: undefined })
    expect(err.message).toBe(
      `token was made for another channel than "room-2" (its channel CRC-32 is ${hex8(crc32(CHANNEL))}, not ${hex8(crc32('room-2'))})`,
    )
    expect(errorOf(() => verifyToken(valid, CERT, { ...options, uid: 43 }))).toMatchObject({
      code: 'ERR_TOKEN_CLAIM',
      claim: 'uid',
    })
  })

  it('refuses a wrong certificate (ERR_TOKEN_SIGNATURE), without showing it', () => {
    const other = otherCertificate(CERT)
    const err = errorOf(() => verifyToken(valid, other, options))
    expect(err.code).toBe('ERR_TOKEN_SIGNATURE')
    expect(err.message).not.toContain(other)
    expect(err.message).not.toContain(CERT)
  })

  it('reports which certificate of a rotation list matched', () => {
    expect(verifyToken(valid, [otherCertificate(CERT), CERT], options).certificateIndex).toBe(1)
    expect(errorOf(() => verifyToken(valid, [otherCertificate(CERT)], options)).code).toBe(
      'ERR_TOKEN_SIGNATURE',
    )
  })

  it('refuses an altered CRC-32 field though the signature matches (ERR_TOKEN_MALFORMED)', () => {
    // The CRCs are not signed: a changed one makes a second string for the same signed token.
    expect(errorOf(() => verifyToken(token({ crcChannel: 1 }), CERT, options)).code).toBe(
      'ERR_TOKEN_MALFORMED',
    )
    expect(errorOf(() => verifyToken(token({ crcUid: 1 }), CERT, options)).code).toBe(
      'ERR_TOKEN_MALFORMED',
    )
  })

  it('refuses a signature made over other bytes (ERR_TOKEN_SIGNATURE)', () => {
    expect(
      errorOf(() => verifyToken(token({ signature: Buffer.alloc(32) }), CERT, options)).code,
    ).toBe('ERR_TOKEN_SIGNATURE')
  })

  it('checks the app id option like for 007 tokens, case-insensitively', () => {
    expect(verifyToken(valid, CERT, { ...options, appId: APP_ID.toUpperCase() }).version).toBe(
      '006',
    )
    expect(
      errorOf(() => verifyToken(valid, CERT, { ...options, appId: 'a'.repeat(32) })),
    ).toMatchObject({
      code: 'ERR_TOKEN_CLAIM',
      claim: 'appId',
    })
  })

  it('checks structure first, then channel and uid, then the signature, then the app id, then time', () => {
    const expiredElsewhere = token({ certificate: otherCertificate(CERT), ts: 1 })
    expect(errorOf(() => verifyToken('006' + APP_ID + '!', CERT, {})).code).toBe(
      'ERR_TOKEN_MALFORMED',
    )
    expect(errorOf(() => verifyToken(expiredElsewhere, CERT, { uid: UID })).code).toBe(
      'ERR_TOKEN_CLAIM',
    )
    expect(errorOf(() => verifyToken(expiredElsewhere, CERT, options)).code).toBe(
      'ERR_TOKEN_SIGNATURE',
    )
    const expired = token({ ts: 1 })
    expect(
      errorOf(() => verifyToken(expired, CERT, { ...options, appId: 'a'.repeat(32) })).code,
    ).toBe('ERR_TOKEN_CLAIM')
    expect(errorOf(() => verifyToken(expired, CERT, options)).code).toBe('ERR_TOKEN_EXPIRED')
  })

  describe('time: the message ts and every privilege are absolute; 0 is no limit', () => {
    const t = token({
      privileges: [
        [1, 0],
        [2, TS - 100],
      ],
    })
    const second = (s: number) => new Date(s * 1000)

    it('is valid until a privilege time, then ERR_TOKEN_EXPIRED naming it', () => {
      expect(
        verifyToken(t, CERT, { ...options, currentDate: new Date((TS - 100) * 1000 - 1) }).version,
      ).toBe('006')
      const err = errorOf(() => verifyToken(t, CERT, { ...options, currentDate: second(TS - 100) }))
      expect(err.code).toBe('ERR_TOKEN_EXPIRED')
      expect(err.message).toContain('publishAudioStream')
      expect(err.message).toContain(second(TS - 100).toISOString())
      expect((err as any).token).toMatchObject({ version: '006', certificateIndex: 0 })
    })

    it('ends at the message ts even when every privilege is unlimited', () => {
      const unlimited = token({ privileges: [[1, 0]] })
      expect(
        verifyToken(unlimited, CERT, { ...options, currentDate: new Date(TS * 1000 - 1) }).version,
      ).toBe('006')
      const err = errorOf(() =>
        verifyToken(unlimited, CERT, { ...options, currentDate: second(TS) }),
      )
      expect(err.code).toBe('ERR_TOKEN_EXPIRED')
      expect(err.message).toContain('message ts')
    })

    it('allows clockTolerance seconds of leeway', () => {
      expect(
        verifyToken(t, CERT, { ...options, currentDate: second(TS - 71), clockTolerance: 30 })
          .version,
      ).toBe('006')
      expect(
        errorOf(() =>
          verifyToken(t, CERT, { ...options, currentDate: second(TS - 70), clockTolerance: 30 }),
        ).code,
      ).toBe('ERR_TOKEN_EXPIRED')
    })
  })

  it('verifies an RTM token with the account as channelName and uid 0', () => {
    const [python] = vectorFiles('accesstoken006-builders').filter((f) =>
      f.file.startsWith('python3'),
    )
    const v = python.vectors.find(
      (x: any) => x.builder === 'RtmTokenBuilder.buildToken' && x.args[4] === 4294967295,
    )
    const [, cert, account] = v.args
    expect(
      verifyToken(v.token, cert, { channelName: account, uid: 0, currentDate: new Date(v.clockMs) })
        .version,
    ).toBe('006')
  })
})
