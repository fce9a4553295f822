// The claim checks both verifiers share (src/format/claims.ts).
import { describe, expect, it } from 'vitest'
import { TokenClaimMismatch, TokenExpired, decodeToken, buildToken } from '../../src/index.js'
import {
  checkAppId,
  checkIssuedInTime,
  checkNotExpired,
  hasEnded,
  isoTime,
  type VerifyContext,
} from '../../src/format/claims.js'

const appId = '970ca35de60c44645bbae8a215061b33'
const decoded = decodeToken(
  buildToken({
    appId,
    appCertificate: '5cfd2fd1755d40ecb72977518be15d3b',
    issueTs: 1_800_000_000,
    salt: 1,
    expire: 60,
    services: [{ type: 'fpa', privileges: {} }],
  }),
)

function context(nowSeconds: number, extra: Partial<VerifyContext> = {}): VerifyContext {
  return {
    maxPayloadBytes: 131_072,
    version: undefined,
    nowMs: nowSeconds * 1000,
    toleranceMs: 0,
    maxFutureIssueMs: undefined,
    appId: undefined,
    requirements: [],
    zeroPrivilege: 'token',
    channelName: undefined,
    uid: undefined,
    allowAnyUid006: false,
    ...extra,
  }
}

describe('claims', () => {
  it('checkAppId compares case-insensitively and names the claim', () => {
    expect(() => checkAppId(decoded, appId.toUpperCase())).not.toThrow()
    expect(() => checkAppId(decoded, undefined)).not.toThrow()
    expect(() => checkAppId(decoded, 'b'.repeat(32))).toThrow(TokenClaimMismatch)
  })

  it('hasEnded: an end is exclusive, and the tolerance extends it', () => {
    expect(hasEnded(100, context(99))).toBe(false)
    expect(hasEnded(100, context(100))).toBe(true)
    expect(hasEnded(100, context(129, { toleranceMs: 30_000 }))).toBe(false)
    expect(hasEnded(100, context(130, { toleranceMs: 30_000 }))).toBe(true)
  })

  it('checkNotExpired throws TokenExpired with the end time and the detail', () => {
    expect(() => checkNotExpired(decoded, 100, context(100), 'its message ts')).toThrow(
      new TokenExpired(`token expired at ${isoTime(100)} (its message ts)`, decoded),
    )
  })

  it('checkIssuedInTime is off without maxFutureIssue and allows maxFutureIssue + tolerance', () => {
    expect(() => checkIssuedInTime(decoded, 1000, context(0))).not.toThrow()
    const ctx = context(900, { maxFutureIssueMs: 60_000, toleranceMs: 40_000 })
    expect(() => checkIssuedInTime(decoded, 1000, ctx)).not.toThrow()
    expect(() => checkIssuedInTime(decoded, 1001, ctx)).toThrow(
      expect.objectContaining({ code: 'ERR_TOKEN_CLAIM', claim: 'issuedAt' }),
    )
  })
})
