// AccessToken2 ("007") verification: the signature over the signing info first, then the
// services are parsed, then the claims (docs/format.md).
import {
  TokenClaimMismatch,
  TokenExpired,
  TokenPrivilegeMissing,
  TokenSignatureInvalid,
} from '../../errors.js'
import { quoteText, showText } from '../../lib/printable.js'
import { decodeBase64Transient } from '../../lib/base64.js'
import { decodeBase64Natively } from '../../lib/native.js'
import { privilegeId } from '../../lib/services.js'
import { signatureMatches } from '../../lib/sign.js'
import type { DecodedService, DecodedToken007, ZeroPrivilegePolicy } from '../../types.js'
import {
  checkAppId,
  checkIssuedInTime,
  hasEnded,
  isoTime,
  type CheckedRequirement,
  type RequirementField,
  type VerifyContext,
} from '../claims.js'
import { open007, readServices, type Opened007 } from './parse.js'

/**
 * From this many characters on, a token's base64 is decoded by the runtime where it can be (see
 * decodeBase64Natively). Below it, measured within whole verifies, the runtime's decoder gains
 * nothing: its fixed cost per call and a new Buffer per token outweigh the shorter loop.
 */
let nativeBase64MinChars = 1024

/**
 * Sets from how many characters of token the runtime's base64 decoder is tried (Infinity:
 * never), and returns the previous value. For tests that compare the pure and native paths.
 * @internal
 */
export function setNativeBase64MinChars(chars: number): number {
  const previous = nativeBase64MinChars
  nativeBase64MinChars = chars
  return previous
}

/** decodeBase64Transient, by the runtime for long tokens (the same decisions and bytes). */
function decodeBody(text: string, start: number): Uint8Array | string {
  return (
    (text.length >= nativeBase64MinChars && decodeBase64Natively(text, start)) ||
    decodeBase64Transient(text, start)
  )
}

/** A verified 007 token: the decoded token and the index of the certificate that signed it. */
export type Verified007 = DecodedToken007 & { certificateIndex: number }

/**
 * Verifies a 007 token: envelope and header, the signature against each certificate in turn
 * (constant time), then the services are parsed, then app id, lifetime, issue time, the rtc
 * service `channelName`/`uid` ask for, and every requirement. An unauthenticated token costs an
 * inflate and one HMAC per certificate, never a parse of its services.
 */
export function verify007(
  token: string,
  certificates: readonly string[],
  context: VerifyContext,
): Verified007 {
  const opened = open007(token, context.maxPayloadBytes, decodeBody)
  const certificateIndex = matchCertificate(certificates, opened)
  const verified = readServices(opened) as Verified007
  verified.certificateIndex = certificateIndex
  checkAppId(verified, context.appId)
  if (hasEnded(verified.issueTs + verified.expire, context)) {
    throw new TokenExpired(
      `token expired at ${verified.expiresAt.toISOString()} (issued ${verified.issuedAt.toISOString()} for ${verified.expire} s)`,
      verified,
    )
  }
  checkIssuedInTime(verified, verified.issueTs, context)
  // channelName and uid are applied as an rtc requirement rather than ignored.
  const subject = subjectRequirement(context)
  if (subject !== undefined) checkRequirement(verified, subject, context)
  for (const requirement of context.requirements) checkRequirement(verified, requirement, context)
  return verified
}

/** The rtc requirement options.channelName and options.uid make for a 007 token, if any. */
function subjectRequirement(checked: VerifyContext): CheckedRequirement | undefined {
  if (checked.channelName === undefined && checked.uid === undefined) return undefined
  const fields: Array<readonly [RequirementField, string]> = []
  if (checked.channelName !== undefined) fields.push(['channelName', checked.channelName])
  if (checked.uid !== undefined) fields.push(['uid', checked.uid])
  return fields.length === 0 ? undefined : { service: 'rtc', fields }
}

function matchCertificate(certificates: readonly string[], opened: Opened007): number {
  const { issueTs, salt, signingInfo, signature } = opened
  for (let i = 0; i < certificates.length; i++) {
    if (signatureMatches(certificates[i], issueTs, salt, signingInfo, signature)) return i
  }
  throw new TokenSignatureInvalid(
    certificates.length === 1
      ? `token signature does not match the certificate (is it app ${showText(opened.appId)}'s certificate?)`
      : `token signature matches none of the ${certificates.length} certificates (app ${showText(opened.appId)})`,
  )
}

function checkRequirement(
  token: Verified007,
  req: CheckedRequirement,
  context: VerifyContext,
): void {
  const { nowMs, toleranceMs } = context
  const zeroPrivilege: ZeroPrivilegePolicy = context.zeroPrivilege
  let candidates: DecodedService[] = token.services.filter((s) => s.type === req.service)
  if (candidates.length === 0) {
    throw new TokenClaimMismatch(`token has no ${req.service} service`, 'service', token)
  }
  for (const [field, text] of req.fields) {
    const kept = candidates.filter((s) => {
      const actual = (s as unknown as Record<string, unknown>)[field]
      // uid 0 (written as "") in an RTC token admits any uid.
      return actual === text || (field === 'uid' && actual === '')
    })
    if (kept.length === 0) {
      const found = candidates
        .slice(0, 4)
        .map((s) => quoteText(String((s as unknown as Record<string, unknown>)[field])))
        .join(', ')
      const more = candidates.length > 4 ? ` and ${candidates.length - 4} more` : ''
      throw new TokenClaimMismatch(
        `token's ${req.service} service is for ${field} ${found}${more}, not ${quoteText(text)}`,
        field,
        token,
      )
    }
    candidates = kept
  }
  if (req.privilege === undefined) return
  const { id } = req.privilege
  // Checked above: a known privilege name or a decimal id, safe to show as is.
  const name = req.privilege.name
  let expiredAt: number | undefined
  for (const service of candidates) {
    const seconds = privilegeValue(service, id)
    if (seconds === undefined) continue
    if (seconds === 0 && zeroPrivilege === 'token') return
    const endMs = (token.issueTs + seconds) * 1000
    if (nowMs < endMs + toleranceMs) return
    expiredAt = endMs
  }
  throw new TokenPrivilegeMissing(
    expiredAt !== undefined
      ? `token's ${req.service} privilege ${name} expired at ${isoTime(expiredAt / 1000)}`
      : `token's ${req.service} service does not grant privilege ${name}`,
    token,
  )
}

function privilegeValue(service: DecodedService, id: number): number | undefined {
  for (const [key, value] of Object.entries(service.privileges)) {
    if (privilegeId(service.type, key) === id) return value as number
  }
  return undefined
}
