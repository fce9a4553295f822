// The common path of the public API, as a user writes it: type-checked with `strict` and no
// casts by test/types.test.ts. Lines marked @ts-expect-error must stay errors: if a type
// widened to `any`, the unused directive would fail the test.
import {
  type DecodedToken,
  type DecodedToken006,
  type DecodedToken007,
  TokenClaimMismatch,
  TokenError,
  TokenExpired,
  type VerifiedToken,
  type VerifiedToken007,
  decodeToken,
  errors,
  verifyToken,
} from '../../src/index.js'

declare const token: string
declare const certificate: string

// verifyToken(...).expiresAt: on either version.
const verified: VerifiedToken = verifyToken(token, certificate, { appId: 'a'.repeat(32) })
const expires: Date = verified.expiresAt
const index: number = verified.certificateIndex

// Narrowing on version.
if (verified.version === '007') {
  const services: DecodedToken007['services'] = verified.services
  const issued: Date = verified.issuedAt
  void services
  void issued
} else {
  const ts: number = verified.ts
  const privileges: DecodedToken006['privileges'] = verified.privileges
  void ts
  void privileges
}
// @ts-expect-error services exist only on a 007 token: narrow first
void verified.services

// A 007-only caller gets the 007 type from the version option.
const only007: VerifiedToken007 = verifyToken(token, [certificate], { version: '007' })
const firstService = only007.services[0]
void firstService
const decoded007: DecodedToken007 = decodeToken(token, { version: '007' })
const decoded006: DecodedToken006 = decodeToken(token, { version: '006' })
const either: DecodedToken = decodeToken(token)
const eitherExpires: Date = either.expiresAt
// @ts-expect-error a 006-only decode is not a 007 token
const wrong: DecodedToken007 = decodeToken(token, { version: '006' })
// @ts-expect-error only '007' and '006' are versions
decodeToken(token, { version: '008' })

// Errors: the token of an expired or mismatched token, and the namespace.
try {
  verifyToken(token, certificate)
} catch (err) {
  if (err instanceof TokenExpired) {
    const at: Date = err.token.expiresAt
    void at
  }
  if (err instanceof TokenClaimMismatch) {
    const claim: string = err.claim
    const at: Date | undefined = err.token?.expiresAt
    void claim
    void at
  }
  if (err instanceof errors.TokenError && err.code === 'ERR_TOKEN_EXPIRED') void err.message
  if (err instanceof TokenError) {
    const code: errors.TokenErrorCode = err.code
    void code
  }
}

void expires
void index
void decoded007
void decoded006
void eitherExpires
void wrong
