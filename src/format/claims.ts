// Claim checks shared by the 007 and 006 verifiers (app id, lifetime with clock tolerance, issue
// time), and the verification context both read: the options of verifyToken, already checked.
import { TokenClaimMismatch, TokenExpired, type TokenClaim } from '../errors.js'
import { showText } from '../lib/printable.js'
import type {
  DecodedToken,
  ServiceRequirement,
  ServiceType,
  TokenVersion,
  ZeroPrivilegePolicy,
} from '../types.js'

/** A claim a service requirement compares (a field of a decoded service). */
export type RequirementField = keyof ServiceRequirement & TokenClaim

/** A service requirement after its check: types settled, user ids as the text a token holds. */
export interface CheckedRequirement {
  service: ServiceType
  /** The numeric privilege id, and how it was asked for (a known name or a decimal id). */
  privilege?: { id: number; name: string }
  fields: ReadonlyArray<readonly [field: RequirementField, text: string]>
}

/** The options of verifyToken, each checked once; nothing is read from the caller's object later. */
export interface VerifyContext {
  maxPayloadBytes: number
  /** The one version options.version accepts; undefined: either. */
  version: TokenVersion | undefined
  nowMs: number
  toleranceMs: number
  /** Milliseconds after `nowMs` a token's issue time may be (+ tolerance); undefined: unchecked. */
  maxFutureIssueMs: number | undefined
  appId: string | undefined
  requirements: readonly CheckedRequirement[]
  zeroPrivilege: ZeroPrivilegePolicy
  channelName: string | undefined
  /** The uid as the text a token holds (uid 0 is ""). */
  uid: string | undefined
  allowAnyUid006: boolean
}

/** Rejects a token made for another app id (compared case-insensitively). */
export function checkAppId(token: DecodedToken, expected: string | undefined): void {
  if (expected !== undefined && token.appId.toLowerCase() !== expected.toLowerCase()) {
    throw new TokenClaimMismatch(
      `token is for app ${showText(token.appId)}, not ${expected}`,
      'appId',
      token,
    )
  }
}

/** Whether a time that ends at `endSeconds` is over at `nowMs`, given the tolerance. */
export function hasEnded(endSeconds: number, context: VerifyContext): boolean {
  return context.nowMs >= endSeconds * 1000 + context.toleranceMs
}

/** Throws TokenExpired when the token's own lifetime (ending at `endSeconds`) is over. */
export function checkNotExpired(
  token: DecodedToken,
  endSeconds: number,
  context: VerifyContext,
  detail: string,
): void {
  if (hasEnded(endSeconds, context)) {
    throw new TokenExpired(`token expired at ${isoTime(endSeconds)} (${detail})`, token)
  }
}

/** Refuses a token issued after now + maxFutureIssue + clockTolerance, when that is asked for. */
export function checkIssuedInTime(
  token: DecodedToken,
  issueSeconds: number,
  context: VerifyContext,
): void {
  const { maxFutureIssueMs, nowMs, toleranceMs } = context
  if (maxFutureIssueMs === undefined) return
  if (issueSeconds * 1000 > nowMs + maxFutureIssueMs + toleranceMs) {
    throw new TokenClaimMismatch(
      `token was issued at ${isoTime(issueSeconds)}, more than ${(maxFutureIssueMs + toleranceMs) / 1000} s after ${new Date(nowMs).toISOString()} (maxFutureIssue + clockTolerance)`,
      'issuedAt',
      token,
    )
  }
}

/** Unix seconds as an ISO 8601 time. */
export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}
