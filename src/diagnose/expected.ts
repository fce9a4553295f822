// The caller's expectations, checked once: a wrong type is the caller's mistake (InvalidArgument),
// not a finding about the token.
import { InvalidArgument } from '../errors.js'
import { SERVICE_TYPES } from '../lib/services.js'
import { checkHex32, describe, U32_MAX } from '../lib/validate.js'
import type { ServiceType } from '../types.js'
import type { DiagnoseExpected } from './types.js'

/** How the app identifies its user in a channel: a numeric uid or a string account. */
export interface ExpectedUser {
  kind: 'uid' | 'account'
  /** The text a token for this user carries (uid 0 is written as `""`). */
  text: string
  /** As given, for messages. */
  shown: string
}

/** The expectations in the form the checks use. */
export interface Expectations {
  appId?: string
  certificates: string[]
  service?: ServiceType
  channelName?: string
  user?: ExpectedUser
  userId?: string
  role?: 'publisher' | 'subscriber'
  atMs: number
}

/** Checks `expected` and normalizes it; `nowMs` is used when `at` is not given. */
export function checkExpected(expected: unknown, nowMs: number): Expectations {
  if (expected === undefined) return { certificates: [], atMs: nowMs }
  if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) {
    throw new InvalidArgument(`expected: expected an object, got ${describe(expected)}`)
  }
  const e = expected as DiagnoseExpected
  const out: Expectations = { certificates: certificatesOf(e), atMs: nowMs }
  if (e.appId !== undefined) out.appId = checkHex32(e.appId, 'expected.appId', false)
  if (e.service !== undefined) {
    if (!SERVICE_TYPES.includes(e.service)) {
      throw new InvalidArgument(
        `expected.service: expected one of ${SERVICE_TYPES.join(', ')}, got ${describe(e.service)}`,
      )
    }
    out.service = e.service
  }
  if (e.channelName !== undefined) out.channelName = stringOf(e.channelName, 'channelName')
  if (e.uid !== undefined && e.account !== undefined) {
    throw new InvalidArgument('expected.uid and expected.account cannot both be given')
  }
  if (e.uid !== undefined) out.user = userOf(e.uid, 'uid')
  if (e.account !== undefined) out.user = userOf(stringOf(e.account, 'account'), 'account')
  if (e.userId !== undefined) {
    out.userId =
      typeof e.userId === 'number'
        ? String(uidNumber(e.userId, 'userId'))
        : stringOf(e.userId, 'userId')
  }
  if (e.role !== undefined) {
    if (e.role !== 'publisher' && e.role !== 'subscriber') {
      throw new InvalidArgument(
        `expected.role: expected 'publisher' or 'subscriber', got ${describe(e.role)}`,
      )
    }
    out.role = e.role
  }
  if (e.at !== undefined) {
    const ms = e.at instanceof Date ? e.at.getTime() : Number.NaN
    if (Number.isNaN(ms)) {
      throw new InvalidArgument(`expected.at: expected a valid Date, got ${describe(e.at)}`)
    }
    out.atMs = ms
  }
  return out
}

function certificatesOf(e: DiagnoseExpected): string[] {
  if (e.appCertificate !== undefined && e.appCertificates !== undefined) {
    throw new InvalidArgument(
      'expected.appCertificate and expected.appCertificates cannot both be given',
    )
  }
  if (e.appCertificate !== undefined) {
    return [checkHex32(e.appCertificate, 'expected.appCertificate', true)]
  }
  if (e.appCertificates === undefined) return []
  if (!Array.isArray(e.appCertificates)) {
    throw new InvalidArgument(
      `expected.appCertificates: expected an array of certificates, got ${describe(e.appCertificates)}`,
    )
  }
  return e.appCertificates.map((c, i) => checkHex32(c, `expected.appCertificates[${i}]`, true))
}

function stringOf(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    throw new InvalidArgument(`expected.${field}: expected a string, got ${describe(value)}`)
  }
  return value
}

function uidNumber(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw new InvalidArgument(
      `expected.${field}: expected an integer 0..${U32_MAX} or a string, got ${describe(value)}`,
    )
  }
  return value
}

function userOf(value: unknown, field: 'uid' | 'account'): ExpectedUser {
  if (typeof value === 'number') {
    const uid = uidNumber(value, field)
    return { kind: 'uid', text: uid === 0 ? '' : String(uid), shown: String(uid) }
  }
  const text = stringOf(value, field)
  return { kind: 'account', text, shown: text }
}
