/**
 * The data model of {@link diagnoseToken}: what the caller expects of a token and the findings
 * that say where the token differs.
 *
 * @module
 */
import type { DecodedToken, ServiceType, UserId } from '../types.js'

/**
 * The stable code of a finding (the contract: switch on it, never on the message).
 *
 * - `MALFORMED`: the text is not a token this library can read (version, base64, structure).
 * - `LEGACY_006`: a legacy AccessToken (006); still accepted by Agora, but build 007 tokens.
 * - `APP_ID_MISMATCH`: made for another app id than the expected one.
 * - `SIGNATURE_INVALID`: no given certificate produces the signature.
 * - `SIGNATURE_NOT_CHECKED`: no certificate given (or, for 006, no channel and uid to check with).
 * - `EXPIRED`, `PRIVILEGE_EXPIRED`, `EXPIRES_SOON`: the token's or a privilege's lifetime.
 * - `ISSUED_IN_FUTURE`: the issue time is ahead of the reference time (a clock is wrong).
 * - `LIFETIME_OVER_24H`: Agora limits a token to 24 hours.
 * - `EXPIRE_LOOKS_ABSOLUTE`, `PRIVILEGE_LOOKS_ABSOLUTE`: a Unix time where 007 wants seconds.
 * - `ZERO_PRIVILEGE`: a privilege written as 0, which checkers read differently.
 * - `NO_PRIVILEGES`: a service that grants nothing.
 * - `WRONG_SERVICE`: the token lacks the service the app uses (an RTC token for RTM login).
 * - `CHANNEL_MISMATCH`, `UID_MISMATCH`: made for another channel, uid, account or user id.
 * - `UID_ZERO_STRING`: made for the account `"0"`, which is not uid 0 ("any uid").
 * - `ACCOUNT_VS_UID`: made for a string account where the app joins with a numeric uid, or
 *   the other way round.
 * - `ROLE_MISMATCH`: a subscriber (join-only) token where publishing is expected.
 * - `WILDCARD_UID`: made for uid 0: anyone holding it may join as any uid.
 * - `UNKNOWN_SERVICE`: a service type this library does not know (the rest is not shown).
 */
export type FindingCode =
  | 'MALFORMED'
  | 'LEGACY_006'
  | 'APP_ID_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'SIGNATURE_NOT_CHECKED'
  | 'EXPIRED'
  | 'PRIVILEGE_EXPIRED'
  | 'EXPIRES_SOON'
  | 'ISSUED_IN_FUTURE'
  | 'LIFETIME_OVER_24H'
  | 'EXPIRE_LOOKS_ABSOLUTE'
  | 'PRIVILEGE_LOOKS_ABSOLUTE'
  | 'ZERO_PRIVILEGE'
  | 'NO_PRIVILEGES'
  | 'WRONG_SERVICE'
  | 'CHANNEL_MISMATCH'
  | 'UID_MISMATCH'
  | 'UID_ZERO_STRING'
  | 'ACCOUNT_VS_UID'
  | 'ROLE_MISMATCH'
  | 'WILDCARD_UID'
  | 'UNKNOWN_SERVICE'

/** How bad a finding is: an `error` makes the diagnosis fail (`ok: false`). */
export type FindingSeverity = 'error' | 'warning' | 'info'

/**
 * One thing {@link diagnoseToken} noticed.
 *
 * @example
 * ```ts
 * { code: 'EXPIRED', severity: 'error', agoraError: 109,
 *   message: 'the token expired at 2030-01-01T01:00:00Z (1h ago) …', fix: '…' }
 * ```
 */
export interface Finding {
  code: FindingCode
  severity: FindingSeverity
  /**
   * What is wrong and what to change in the code that built the token. Text taken from the
   * token is quoted and escaped (control and bidi characters as `\uXXXX`); never a certificate.
   */
  message: string
  /** The change to make, as code where one fits. */
  fix?: string
  /**
   * The error code an Agora client SDK reports for this problem, where Agora documents one:
   * 101 invalid app id, 109 token expired, 110 invalid token.
   */
  agoraError?: number
}

/**
 * What the app that uses the token expects of it. Every field is optional; only those given are
 * compared.
 *
 * @example
 * ```ts
 * { appId, appCertificate, service: 'rtc', channelName: 'room-1', uid: 42, role: 'publisher' }
 * ```
 */
export interface DiagnoseExpected {
  /** The app id the client is initialized with (32 hexadecimal characters). */
  appId?: string
  /** The app certificate: the signature is checked when it (or `appCertificates`) is given. */
  appCertificate?: string
  /** Several certificates (during a rotation): the signature must match one of them. */
  appCertificates?: readonly string[]
  /** The service the app uses the token for. */
  service?: ServiceType
  /** The channel the app joins (rtc, streaming, fcdn). */
  channelName?: string
  /** The RTC uid the app joins with: an integer 0..4294967295 (0: the SDK assigns one). */
  uid?: UserId
  /** The string user account the app joins with (joinChannelWithUserAccount). */
  account?: string
  /** The user id the app logs in with (rtm, rtm2, chat). */
  userId?: UserId
  /** `'publisher'` when the app publishes audio, video or data; `'subscriber'` otherwise. */
  role?: 'publisher' | 'subscriber'
  /** The time to judge the token at. Default: now. */
  at?: Date
}

/** The outcome of {@link diagnoseToken}. */
export interface DiagnoseResult {
  /** `false` if and only if a finding is an `error`. */
  ok: boolean
  /** The decoded token, when it could be decoded. */
  token?: DecodedToken
  /** Errors first, then warnings, then notes. */
  findings: Finding[]
}
