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

it('the corpus has every generator of the public one, with at least its vectors', () => {
  // At least: a larger corpus (other app ids, strings, generators' quirks) runs through this
  // same suite.
  const names = files.map((f) => f.file)
  for (const generator of ['cpp', 'go', 'java', 'node', 'php', 'python3', 'ruby']) {
    expect(names).toContain(`${generator}.accesstoken2.json`)
  }
  expect(files.reduce((n, f) => n + f.vectors.length, 0)).toBeGreaterThanOrEqual(1477)
})

describe.each(files.map((f) => [f.file, f] as const))('%s', (_name, file) => {
  const exact = isStandardZlib(file.file)

  it.each(file.vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const decoded = decodeToken(v.token)
    expect(decoded).toMatchObject({
      version: '007',
      appId: v.appId,
      issueTs: v.issueTs,
      expire: v.expire,
      salt: v.salt,
    })
    if (decoded.version !== '007') throw new Error('unreachable')
    expect(decoded.services).toEqual(sortedByType(v.services).map(toDecodedService))
    expect(decoded.issuedAt.getTime()).toBe(v.issueTs * 1000)
    expect(decoded.expiresAt.getTime()).toBe((v.issueTs + v.expire) * 1000)
    expect(hex(decoded.signature)).toBe(v.payloadHex.slice(4, 68))
    expect(decoded.unknownServiceType).toBeUndefined()

    const verified = verifyToken(v.token, v.appCertificate, { currentDate: validMoment(v) })
    expect(verified.certificateIndex).toBe(0)
    expect(() =>
      verifyToken(v.token, otherCertificate(v.appCertificate), { currentDate: validMoment(v) }),
    ).toThrow(expect.objectContaining({ code: 'ERR_TOKEN_SIGNATURE' }))

    const ours = buildFrom(v)
    if (exact) expect(ours).toBe(v.token)
    expect(payloadOf(ours)).toBe(v.payloadHex)
  })

  if (file.divergent?.length) {
    it.each(file.divergent.map((v) => [v.id, v] as const))(
      'divergent %s: we build the canonical payload and still read theirs',
      (_id, v) => {
        expect(payloadOf(buildFrom(v))).toBe(v.canonicalPayloadHex)
        expect(payloadOf(buildFrom(v))).not.toBe(v.payloadHex)
        expect(
          verifyToken(v.token, v.appCertificate, { currentDate: validMoment(v) }).version,
        ).toBe('007')
      },
    )
  }
})

/**
 * docs/format.md: every invalid vector is rejected, except a token whose only oddity is an unknown
 * service type after the known ones (forward compatibility: opaque but signed, so accepted).
 */
function isForwardCompatible(v: any): boolean {
  return v.why === 'trailing-bytes' && /unknown service type/i.test(v.detail)
}

describe.each(vectorFiles('accesstoken2-invalid').map((f) => [f.file, f] as const))(
  '%s',
  (_name, invalid) => {
    const rejected = invalid.vectors.filter((v) => !isForwardCompatible(v))
    const accepted = invalid.vectors.filter(isForwardCompatible)

    // What each kind of damage must be reported as. The envelope and the payload's header are
    // checked before the signature; the services only after it (issue 11, finding 3), so damage
    // in the services of a token whose signature no longer matches is a signature error.
    // A kind of damage not listed here must still be refused with some TokenError.
    const CODES: Record<string, string[]> = {
      'bad-signature': ['ERR_TOKEN_SIGNATURE', 'ERR_TOKEN_MALFORMED'],
      'tampered-payload': ['ERR_TOKEN_SIGNATURE'],
      'bad-version': ['ERR_TOKEN_VERSION', 'ERR_TOKEN_MALFORMED'],
      'bad-base64': ['ERR_TOKEN_MALFORMED'],
      'not-zlib': ['ERR_TOKEN_MALFORMED'],
      truncated: ['ERR_TOKEN_MALFORMED', 'ERR_TOKEN_SIGNATURE'],
      'trailing-bytes': ['ERR_TOKEN_MALFORMED', 'ERR_TOKEN_SIGNATURE'],
      'length-overflow': ['ERR_TOKEN_MALFORMED'],
      'inflate-bomb': ['ERR_TOKEN_TOO_LARGE'],
    }

    if (invalid.file === 'python3.accesstoken2-invalid.json') {
      it('has at least the public vectors, one of them forward-compatible', () => {
        expect(invalid.vectors.length).toBeGreaterThanOrEqual(117)
        expect(accepted.map((v) => v.id)).toContain('pub-inv-0093-trailing-bytes')
      })
    }

    it.each(rejected.map((v) => [v.id, v] as const))('%s is rejected', (_id, v) => {
      let error: unknown
      try {
        verifyToken(v.token, v.appCertificate, { currentDate: new Date(0) })
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(TokenError)
      if (CODES[v.why]) expect(CODES[v.why]).toContain((error as TokenError).code)
    })

    if (accepted.length) {
      it.each(accepted.map((v) => [v.id, v] as const))(
        '%s (an unknown service type appended, signed) is accepted for forward compatibility',
        (_id, v) => {
          const verified = verifyToken(v.token, v.appCertificate, { currentDate: new Date(0) })
          if (verified.version !== '007') throw new Error('unreachable')
          expect(verified.unknownServiceType).toBeGreaterThan(10)
          const base = vectorFiles('accesstoken2')
            .find((f) => f.file.startsWith('python3'))
            ?.vectors.find((x) => x.id === v.baseId)
          if (base)
            expect(verified.services).toEqual(sortedByType(base.services).map(toDecodedService))
        },
      )
    }
  },
)
