// buildToken006, the raw 006 builder: defaults, privilege keys, and every argument it refuses.
// (Its byte-exactness is in legacy-vectors.test.ts and legacy/properties.test.ts.)
import { describe, expect, it } from 'vitest'
import { TokenError, buildToken006, decodeToken, legacy, verifyToken } from '../../../src/index.js'

const APP_ID = '970ca35de60c44645bbae8a215061b33'
const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
const base = {
  appId: APP_ID,
  appCertificate: CERT,
  channelName: 'room-1',
  uid: 42,
  privileges: { joinChannel: 0 },
}

function errorOf(f: () => unknown): TokenError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(TokenError)
    return e as TokenError
  }
  throw new Error('expected a TokenError, nothing was thrown')
}

describe('defaults', () => {
  it('sets ts to now + 24 h, as the references do', () => {
    const before = Math.floor(Date.now() / 1000)
    const decoded = decodeToken(buildToken006(base))
    const after = Math.floor(Date.now() / 1000)
    if (decoded.version !== '006') throw new Error('unreachable')
    expect(decoded.ts).toBeGreaterThanOrEqual(before + 86400)
    expect(decoded.ts).toBeLessThanOrEqual(after + 86400)
  })

  it('draws a fresh salt in 1..99,999,999 for every token', () => {
    const salts = Array.from(
      { length: 50 },
      () => (decodeToken(buildToken006(base)) as { salt: number }).salt,
    )
    for (const salt of salts) expect(salt >= 1 && salt <= 99_999_999).toBe(true)
    expect(new Set(salts).size).toBeGreaterThan(45)
  })
})

describe('privileges', () => {
  const pinned = { ...base, ts: 1_800_000_000, salt: 5 }

  it('takes names or decimal ids, packed in ascending id order whatever the key order', () => {
    const byName = buildToken006({
      ...pinned,
      privileges: { rtmLogin: 3, publishAudioStream: 2, joinChannel: 1 },
    })
    const byId = buildToken006({ ...pinned, privileges: { '1000': 3, '2': 2, '1': 1 } })
    expect(byId).toBe(byName)
    const content = Buffer.from(byName.slice(35), 'base64')
    // signature (2 + 32), two CRCs (8), m length (2), salt, ts (8), count (2): then the ids.
    const ids = [0, 1, 2].map((i) => content.readUInt16LE(54 + 6 * i))
    expect(ids).toEqual([1, 2, 1000])
  })

  it('packs up to 10,920 privileges, the most a u16-length message holds', () => {
    const many = Object.fromEntries(Array.from({ length: 10_920 }, (_, i) => [String(i), i]))
    const token = buildToken006({ ...pinned, privileges: many })
    expect(Object.keys((decodeToken(token) as { privileges: object }).privileges)).toHaveLength(
      10_920,
    )
    const err = errorOf(() => buildToken006({ ...pinned, privileges: { ...many, '10920': 1 } }))
    expect(err.message).toBe('privileges: has 10921 entries; the format allows at most 10920')
  })

  it('signs a token that verifies with the same channel and uid', () => {
    const token = buildToken006({ ...pinned, privileges: { joinChannel: 1_799_999_000 } })
    const verified = verifyToken(token, CERT, {
      channelName: 'room-1',
      uid: '42',
      currentDate: new Date(1_799_000_000_000),
    })
    expect(verified).toMatchObject({
      version: '006',
      salt: 5,
      ts: 1_800_000_000,
      privileges: { joinChannel: 1_799_999_000 },
    })
  })

  it('writes uid 0 as "" (any uid) and the string "0" as "0"', () => {
    const crcUid = (uid: string | number) =>
      (decodeToken(buildToken006({ ...pinned, uid })) as { crcUid: number }).crcUid
    expect(crcUid(0)).toBe(0)
    expect(crcUid('')).toBe(0)
    expect(crcUid('0')).not.toBe(0)
    expect(buildToken006({ ...pinned, uid: 7 })).toBe(buildToken006({ ...pinned, uid: '7' }))
  })
})

describe('refused arguments (ERR_INVALID_ARGUMENT, naming the argument)', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['no input', undefined, /^buildToken006 input: expected an object/],
    [
      'appId of 31 characters',
      { ...base, appId: APP_ID.slice(1) },
      /^appId: expected 32 hexadecimal characters/,
    ],
    ['an empty appId', { ...base, appId: '' }, /^appId: .*environment variable/],
    [
      'the certificate "nope"',
      { ...base, appCertificate: 'nope' },
      /^appCertificate: expected 32 hexadecimal characters, got a string of 4 characters$/,
    ],
    [
      'a missing certificate',
      { ...base, appCertificate: undefined },
      /^appCertificate: .*environment variable/,
    ],
    ['channelName a number', { ...base, channelName: 5 }, /^channelName: expected a string/],
    [
      'channelName with a lone surrogate',
      { ...base, channelName: 'a\uDC00' },
      /^channelName: contains a lone UTF-16 surrogate/,
    ],
    ['uid -1', { ...base, uid: -1 }, /^uid: expected an integer 0\.\.4294967295 or a string/],
    ['uid 1.5', { ...base, uid: 1.5 }, /^uid: /],
    ['uid 2^32', { ...base, uid: 2 ** 32 }, /^uid: /],
    ['uid null', { ...base, uid: null }, /^uid: /],
    ['privileges missing', { ...base, privileges: undefined }, /^privileges: expected an object/],
    ['privileges an array', { ...base, privileges: [1] }, /^privileges: expected an object/],
    [
      'an unknown privilege name',
      { ...base, privileges: { publish: 1 } },
      /^privileges key: expected a privilege \(joinChannel, .*rtmLogin\) or a decimal id/,
    ],
    ['a privilege id beyond u16', { ...base, privileges: { '65536': 1 } }, /^privileges key: /],
    ['a non-canonical id', { ...base, privileges: { '01': 1 } }, /^privileges key: /],
    [
      'a name and its id together',
      { ...base, privileges: { joinChannel: 1, '1': 2 } },
      /^privileges: "1" and "joinChannel" are both privilege 1$|^privileges: "joinChannel" and "1" are both privilege 1$/,
    ],
    [
      'a negative time',
      { ...base, privileges: { joinChannel: -1 } },
      /^privileges\.joinChannel: expected an integer 0\.\.4294967295/,
    ],
    [
      'a time beyond u32',
      { ...base, privileges: { joinChannel: 2 ** 32 } },
      /^privileges\.joinChannel: /,
    ],
    [
      'a fractional time',
      { ...base, privileges: { joinChannel: 1.5 } },
      /^privileges\.joinChannel: /,
    ],
    ['ts beyond u32', { ...base, ts: 2 ** 32 }, /^ts: expected an integer 0\.\.4294967295/],
    ['salt -1', { ...base, salt: -1 }, /^salt: expected an integer 0\.\.4294967295/],
  ]

  it.each(cases)('%s', (_what, input, message) => {
    const err = errorOf(() => buildToken006(input as never))
    expect(err.code).toBe('ERR_INVALID_ARGUMENT')
    expect(err.message).toMatch(message)
    expect(err.message).not.toContain(CERT)
  })
})

it('legacy.buildToken006, its 0.1 name, is the same function as the root buildToken006', () => {
  expect(legacy.buildToken006).toBe(buildToken006)
})
