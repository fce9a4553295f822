// Every legacy AccessToken ("006") vector of every generator: byte-exact builds, decoded fields,
// verification with the vector's certificate, channel and uid, and rejection of the wrong ones.
// (The builder vectors are in legacy-builders.test.ts.)
import { crc32 as zlibCrc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { buildToken006, decodeToken, verifyToken } from '../src/index.js'
import { hex, otherCertificate, vectorFiles } from './helpers/vectors.js'

const files = vectorFiles('accesstoken006')

// docs/format.md, "Legacy AccessToken": the named privileges; other ids stay decimal.
const NAMES: Record<string, string> = {
  1: 'joinChannel',
  2: 'publishAudioStream',
  3: 'publishVideoStream',
  4: 'publishDataStream',
  1000: 'rtmLogin',
}

function named(privileges: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(privileges).map(([id, time]) => [NAMES[id] ?? id, time]))
}

const crc = (text: string) => zlibCrc32(Buffer.from(text, 'utf8'))

function buildFrom(v: any): string {
  return buildToken006({
    appId: v.appId,
    appCertificate: v.appCertificate,
    channelName: v.channelName,
    uid: v.uid,
    privileges: v.privileges,
    ts: v.ts,
    salt: v.salt,
  })
}

/** The last second at which the token is valid: before its ts and every non-zero privilege. */
function lastValidMs(v: any): number {
  const ends = [
    v.ts,
    ...Object.values(v.privileges as Record<string, number>).filter((t) => t !== 0),
  ]
  return Math.min(...ends) * 1000 - 1
}

it('the corpus has every generator of the public one, with at least its vectors', () => {
  // At least the public corpus: a larger one runs through this same suite.
  for (const generator of ['cpp', 'go', 'java', 'node', 'php', 'python3', 'ruby']) {
    expect(files.map((f) => f.file)).toContain(`${generator}.accesstoken006.json`)
  }
  expect(files.reduce((n, f) => n + f.vectors.length, 0)).toBeGreaterThanOrEqual(307)
  expect(files.reduce((n, f) => n + (f.divergent?.length ?? 0), 0)).toBeGreaterThanOrEqual(16)
})

describe.each(files.map((f) => [f.file, f] as const))('%s', (_name, file) => {
  it.each(file.vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    expect(buildFrom(v)).toBe(v.token)

    const decoded = decodeToken(v.token)
    expect(decoded).toEqual({
      version: '006',
      appId: v.appId,
      salt: v.salt,
      ts: v.ts,
      expiresAt: new Date(v.ts * 1000),
      privileges: named(v.privileges),
      crcChannelName: crc(v.channelName),
      crcUid: crc(v.uid),
      signature: expect.any(Uint8Array),
    })
    // The signature is the 32 bytes after the u16 length at the start of the content.
    expect(hex((decoded as any).signature)).toBe(
      Buffer.from(v.token.slice(35), 'base64').subarray(2, 34).toString('hex'),
    )

    const at = new Date(lastValidMs(v))
    const options = { channelName: v.channelName, uid: v.uid, currentDate: at }
    expect(verifyToken(v.token, v.appCertificate, options)).toMatchObject({
      version: '006',
      certificateIndex: 0,
    })
    expect(
      verifyToken(v.token, [otherCertificate(v.appCertificate), v.appCertificate], options)
        .certificateIndex,
    ).toBe(1)
    expect(() => verifyToken(v.token, otherCertificate(v.appCertificate), options)).toThrow(
      expect.objectContaining({ code: 'ERR_TOKEN_SIGNATURE' }),
    )
    expect(() =>
      verifyToken(v.token, v.appCertificate, { ...options, channelName: v.channelName + 'x' }),
    ).toThrow(expect.objectContaining({ code: 'ERR_TOKEN_CLAIM', claim: 'channelName' }))
    if (v.uid === '') {
      // uid 0 ("") admits any uid, only when the caller opts in.
      expect(
        verifyToken(v.token, v.appCertificate, { ...options, uid: 42, allowAnyUid006: true })
          .certificateIndex,
      ).toBe(0)
      expect(() => verifyToken(v.token, v.appCertificate, { ...options, uid: 42 })).toThrow(
        expect.objectContaining({ code: 'ERR_TOKEN_CLAIM', claim: 'uid' }),
      )
    } else {
      expect(() =>
        verifyToken(v.token, v.appCertificate, { ...options, uid: v.uid + '1' }),
      ).toThrow(expect.objectContaining({ code: 'ERR_TOKEN_CLAIM', claim: 'uid' }))
    }
    expect(() =>
      verifyToken(v.token, v.appCertificate, {
        ...options,
        currentDate: new Date(at.getTime() + 1),
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_TOKEN_EXPIRED' }))
  })

  if (file.divergent?.length) {
    it.each(file.divergent.map((v) => [v.id, v] as const))(
      'divergent %s: we build the canonical token and still read and verify theirs',
      (_id, v) => {
        expect(v.token).not.toBe(v.canonicalToken)
        expect(buildFrom(v)).toBe(v.canonicalToken)
        const theirs = decodeToken(v.token)
        expect(theirs).toEqual({
          ...decodeToken(v.canonicalToken as string),
          signature: expect.any(Uint8Array),
        })
        const options = {
          channelName: v.channelName,
          uid: v.uid,
          currentDate: new Date(lastValidMs(v)),
        }
        expect(verifyToken(v.token, v.appCertificate, options).version).toBe('006')
      },
    )
  }
})
