// Every AccessToken2 vector of every generator: byte-exact builds against the C-zlib references,
// decoded fields and verification against all of them, and the invalid corpus rejected.
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { TokenError, buildToken, decodeToken, verifyToken } from '../src/index.js'
import {
  hex,
  isStandardZlib,
  otherCertificate,
  sortedByType,
  toDecodedService,
  toServiceInput,
  vectorFiles,
} from './helpers/vectors.js'

const files = vectorFiles('accesstoken2')

function payloadOf(token: string): string {
  return hex(inflateSync(Buffer.from(token.slice(3), 'base64')))
}

function buildFrom(v: any): string {
  return buildToken({
    appId: v.appId,
    appCertificate: v.appCertificate,
    expire: v.expire,
    issueTs: v.issueTs,
    salt: v.salt,
    services: v.services.map(toServiceInput),
  })
}

/** A moment at which the token is still valid (its issue second, or just before for expire 0). */
function validMoment(v: any): Date {
  return new Date(v.issueTs * 1000 - (v.expire === 0 ? 1 : 0))
}

it('the public corpus is all here', () => {
  expect(files.map((f) => f.file)).toEqual([
    'cpp.accesstoken2.json',
    'go.accesstoken2.json',
    'java.accesstoken2.json',
    'node.accesstoken2.json',
    'php.accesstoken2.json',
    'python3.accesstoken2.json',
    'ruby.accesstoken2.json',
  ])
  expect(files.reduce((n, f) => n + f.vectors.length, 0)).toBe(1477)
})

describe.each(files.map((f) => [f.file, f] as const))('%s', (_name, file) => {
  const exact = isStandardZlib(file.file)

  it.each(file.vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const decoded = decodeToken(v.token)
    expect(decoded).toMatchObject({ version: '007', appId: v.appId, issueTs: v.issueTs, expire: v.expire, salt: v.salt })
    if (decoded.version !== '007') throw new Error('unreachable')
    expect(decoded.services).toEqual(sortedByType(v.services).map(toDecodedService))
    expect(decoded.issuedAt.getTime()).toBe(v.issueTs * 1000)
    expect(decoded.expiresAt.getTime()).toBe((v.issueTs + v.expire) * 1000)
    expect(hex(decoded.signature)).toBe(v.payloadHex.slice(4, 68))
    expect(decoded.unknownServiceType).toBeUndefined()

    const verified = verifyToken(v.token, v.appCertificate, { currentDate: validMoment(v) })
    expect(verified.certificateIndex).toBe(0)
    expect(() => verifyToken(v.token, otherCertificate(v.appCertificate), { currentDate: validMoment(v) })).toThrow(
      expect.objectContaining({ code: 'ERR_TOKEN_SIGNATURE' }),
    )

    const ours = buildFrom(v)
    if (exact) expect(ours).toBe(v.token)
    expect(payloadOf(ours)).toBe(v.payloadHex)
  })

  if (file.divergent?.length) {
    it.each(file.divergent.map((v) => [v.id, v] as const))('divergent %s: we build the canonical payload and still read theirs', (_id, v) => {
      expect(payloadOf(buildFrom(v))).toBe(v.canonicalPayloadHex)
      expect(payloadOf(buildFrom(v))).not.toBe(v.payloadHex)
      expect(verifyToken(v.token, v.appCertificate, { currentDate: validMoment(v) }).version).toBe('007')
    })
  }
})

describe('python3.accesstoken2-invalid.json', () => {
  const [invalid] = vectorFiles('accesstoken2-invalid')
  const FORWARD_COMPATIBLE = 'pub-inv-0093-trailing-bytes'
  const rejected = invalid.vectors.filter((v) => v.id !== FORWARD_COMPATIBLE)

  // What each kind of damage must be reported as; structure is checked before the signature.
  const CODES: Record<string, string[]> = {
    'bad-signature': ['ERR_TOKEN_SIGNATURE', 'ERR_TOKEN_MALFORMED'],
    'tampered-payload': ['ERR_TOKEN_SIGNATURE'],
    'bad-version': ['ERR_TOKEN_VERSION', 'ERR_TOKEN_MALFORMED'],
    'bad-base64': ['ERR_TOKEN_MALFORMED'],
    'not-zlib': ['ERR_TOKEN_MALFORMED'],
    truncated: ['ERR_TOKEN_MALFORMED'],
    'trailing-bytes': ['ERR_TOKEN_MALFORMED'],
    'length-overflow': ['ERR_TOKEN_MALFORMED'],
    'inflate-bomb': ['ERR_TOKEN_TOO_LARGE'],
  }

  it('has the documented size', () => expect(invalid.vectors.length).toBe(117))

  it.each(rejected.map((v) => [v.id, v] as const))('%s is rejected', (_id, v) => {
    let error: unknown
    try {
      verifyToken(v.token, v.appCertificate, { currentDate: new Date(0) })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TokenError)
    expect(CODES[v.why]).toContain((error as TokenError).code)
  })

  it('pub-inv-0093 (an unknown service type appended, re-signed) is accepted for forward compatibility', () => {
    const v = invalid.vectors.find((x) => x.id === FORWARD_COMPATIBLE)!
    const verified = verifyToken(v.token, v.appCertificate, { currentDate: new Date(0) })
    if (verified.version !== '007') throw new Error('unreachable')
    expect(verified.unknownServiceType).toBeGreaterThan(10)
    const base = vectorFiles('accesstoken2').find((f) => f.file.startsWith('python3'))!.vectors.find((x) => x.id === v.baseId)
    expect(verified.services).toEqual(sortedByType(base.services).map(toDecodedService))
  })
})
