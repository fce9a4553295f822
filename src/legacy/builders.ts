/**
 * The legacy drop-in builders: agora-access-token 2.0.4's API (006 tokens) on top of
 * {@link buildToken006}, with its two known bugs fixed:
 * - the reference draws one salt per process (`Math.random()` once, at load), so every token of
 *   a process shares it; here each token gets its own salt in 1..99,999,999 from
 *   `crypto.getRandomValues` (or the bound source);
 * - the reference signs with whatever certificate it is given (`'nope'`, `''`, `undefined`); here
 *   appId and appCertificate must be 32 hexadecimal characters.
 *
 * @module
 */
import { InvalidArgument } from '../errors.js'
import { builderClass, type BuilderClass } from '../builders/builder-class.js'
import { ANY_UID, checkApp, checkIdentity, checkName } from '../builders/guards.js'
import { utf8 } from '../lib/bytes.js'
import { checkSource, defaultSource, stamp, type TokenSource } from '../builders/source.js'
import { U32_MAX, checkUint, describe } from '../lib/validate.js'
import { assemble006, defaultTs } from '../format/006/pack.js'
import { PRIVILEGE_IDS } from '../format/006/privileges.js'

/**
 * agora-access-token's RTC roles. ATTENDEE, PUBLISHER and ADMIN get join and the three publish
 * privileges, SUBSCRIBER join only.
 *
 * @example
 * ```ts
 * legacy.RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, legacy.RtcRole.PUBLISHER, expiresAt)
 * ```
 */
const LegacyRtcRole = /* @__PURE__ */ Object.freeze({
  /** Deprecated in the reference: the same privileges as PUBLISHER. */
  ATTENDEE: 0,
  /** Join and publish audio, video and data streams. */
  PUBLISHER: 1,
  /** Join only (publishing needs co-host authentication enabled for the project). */
  SUBSCRIBER: 2,
  /** Deprecated in the reference: the same privileges as PUBLISHER. */
  ADMIN: 101,
} as const)

/** A value of {@link RtcRole}. */
type LegacyRtcRole = (typeof LegacyRtcRole)[keyof typeof LegacyRtcRole]

/**
 * agora-access-token's RTM role. The reference ignores the role argument, and so do we.
 *
 * @example
 * ```ts
 * legacy.RtmTokenBuilder.buildToken(appId, appCertificate, 'alice', legacy.RtmRole.Rtm_User, expiresAt)
 * ```
 */
const LegacyRtmRole = /* @__PURE__ */ Object.freeze({
  /** The only RTM role. */
  Rtm_User: 1,
} as const)

/** A value of {@link RtmRole}. */
type LegacyRtmRole = (typeof LegacyRtmRole)[keyof typeof LegacyRtmRole]

// Exported under other local names because the declaration bundler, writing the `legacy`
// namespace into index.d.ts, keeps only the type of a same-named const and type alias; a renamed
// export keeps both (`legacy.RtcRole.PUBLISHER` and `role: legacy.RtcRole`). See package.test.ts.
export { LegacyRtcRole as RtcRole, LegacyRtmRole as RtmRole }

/**
 * agora-access-token's `RtcTokenBuilder`. `privilegeExpiredTs` is an **absolute** Unix time in
 * seconds (0 means no limit); the token's own timestamp is now + 24 h, as in the reference.
 * Differences: invalid input throws `InvalidArgument` (`ERR_INVALID_ARGUMENT`), and the guards
 * refuse a small `privilegeExpiredTs` that looks like seconds from now, roles other than those
 * of {@link RtcRole}, and the accounts `''`, `'undefined'` and `'null'`.
 */
export interface LegacyRtcTokenBuilder extends BuilderClass {
  /**
   * An RTC token for a numeric uid (0 means any uid).
   *
   * @param uid an integer 0..4294967295 (a string is taken as an account)
   * @param role a value of {@link RtcRole}
   * @param privilegeExpiredTs when the privileges end: absolute Unix seconds, 0 for no limit
   * @example
   * ```ts
   * const expiresAt = Math.floor(Date.now() / 1000) + 3600
   * const token = legacy.RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, legacy.RtcRole.PUBLISHER, expiresAt)
   * ```
   */
  buildTokenWithUid(
    appId: string,
    appCertificate: string,
    channelName: string,
    uid: number | string,
    role: number,
    privilegeExpiredTs: number,
  ): string
  /**
   * An RTC token for a user account (a number is written in decimal, 0 meaning any uid, as in
   * the reference).
   *
   * @example
   * ```ts
   * const token = legacy.RtcTokenBuilder.buildTokenWithAccount(appId, appCertificate, 'room-1', 'alice', legacy.RtcRole.SUBSCRIBER, expiresAt)
   * ```
   */
  buildTokenWithAccount(
    appId: string,
    appCertificate: string,
    channelName: string,
    account: string | number,
    role: number,
    privilegeExpiredTs: number,
  ): string
}

/** agora-access-token's `RtmTokenBuilder`; see {@link LegacyRtcTokenBuilder} for the differences. */
export interface LegacyRtmTokenBuilder extends BuilderClass {
  /**
   * An RTM login token. As in the reference, the account travels in the channel position and
   * the uid is empty; the role is not used.
   *
   * @param account a non-empty string (a number is written in decimal)
   * @param role {@link RtmRole.Rtm_User}; any integer is accepted and ignored, as in the reference
   * @param privilegeExpiredTs when the login privilege ends: absolute Unix seconds, 0 for no limit
   * @example
   * ```ts
   * const token = legacy.RtmTokenBuilder.buildToken(appId, appCertificate, 'alice', legacy.RtmRole.Rtm_User, expiresAt)
   * ```
   */
  buildToken(
    appId: string,
    appCertificate: string,
    account: string | number,
    role: number,
    privilegeExpiredTs: number,
  ): string
}

/** The legacy builders bound to one clock and salt source. */
export interface LegacyBuilders {
  /** See {@link LegacyRtcTokenBuilder}. */
  RtcTokenBuilder: LegacyRtcTokenBuilder
  /** See {@link LegacyRtmTokenBuilder}. */
  RtmTokenBuilder: LegacyRtmTokenBuilder
}

/** Options of {@link createLegacyBuilders}. */
export interface LegacyBuildersOptions {
  /**
   * `false` turns off the guards against common mistakes (a `privilegeExpiredTs` before
   * 2000-01-01 other than 0, roles outside {@link RtcRole}, the RTC uid string `'0'`, a
   * certificate with upper-case letters, the accounts `''`, `'undefined'` and `'null'`), for code that depends on agora-access-token accepting them: any integer role
   * then gives a join-only token, as there. Type and range checks stay. Default `true`.
   *
   * @example
   * ```ts
   * const { RtcTokenBuilder } = legacy.createLegacyBuilders(undefined, { guards: false })
   * RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, 1, 3600) // ends in 1970, like the reference
   * ```
   */
  guards?: boolean
}

// 2000-01-01T00:00:00Z: an absolute time before it is almost certainly a duration.
const ABSOLUTE_FROM = 946_684_800

/**
 * The legacy builders bound to a clock and salt source, for tests and reproducible builds
 * (no patching of `Date` or `crypto`). `legacy.RtcTokenBuilder` and `legacy.RtmTokenBuilder`
 * are these builders bound to `Date.now()` and `crypto.getRandomValues`.
 *
 * @param source `now()` in Unix milliseconds (the token's ts is its whole second + 24 h) and `salt()`
 * @example
 * ```ts
 * const { RtcTokenBuilder } = legacy.createLegacyBuilders({ now: () => 1_750_000_000_000, salt: () => 1 })
 * const token = RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, legacy.RtcRole.PUBLISHER, 1_750_003_600)
 * // the same token every time
 * ```
 * @throws {InvalidArgument} when `source` has no `now()` and `salt()` methods
 */
export function createLegacyBuilders(
  source: TokenSource = defaultSource,
  options: LegacyBuildersOptions = {},
): LegacyBuilders {
  const context: LegacyContext = {
    source: checkSource(source, 'source'),
    strict: options.guards !== false,
  }
  return Object.freeze({
    RtcTokenBuilder: createLegacyRtcTokenBuilder(context),
    RtmTokenBuilder: createLegacyRtmTokenBuilder(context),
  })
}

/** The clock and salt source and the guard mode that a set of legacy builders is bound to. */
interface LegacyContext {
  readonly source: TokenSource
  readonly strict: boolean
}

function createLegacyRtcTokenBuilder({
  source: bound,
  strict,
}: LegacyContext): LegacyRtcTokenBuilder {
  function rtc(
    appId: unknown,
    appCertificate: unknown,
    channelName: unknown,
    user: unknown,
    userPath: string,
    role: unknown,
    privilegeExpiredTs: unknown,
  ): string {
    checkApp(appId, appCertificate, strict)
    const { issueTs, salt } = stamp(bound)
    const channel = utf8(checkName(channelName, 'channelName', strict))
    const uid = utf8(checkIdentity(user, userPath, strict, ANY_UID))
    const publishes = checkRole(role, strict)
    const time = checkAbsoluteTime(privilegeExpiredTs, strict, issueTs)
    const privileges: Array<[number, number]> = [[PRIVILEGE_IDS.joinChannel, time]]
    if (publishes) {
      privileges.push(
        [PRIVILEGE_IDS.publishAudioStream, time],
        [PRIVILEGE_IDS.publishVideoStream, time],
        [PRIVILEGE_IDS.publishDataStream, time],
      )
    }
    return assemble006(
      appId as string,
      appCertificate as string,
      channel,
      uid,
      salt,
      defaultTs(issueTs),
      privileges,
    )
  }

  return builderClass<LegacyRtcTokenBuilder>('RtcTokenBuilder', {
    buildTokenWithUid: (
      appId: string,
      appCertificate: string,
      channelName: string,
      uid: number | string,
      role: number,
      privilegeExpiredTs: number,
    ) => rtc(appId, appCertificate, channelName, uid, 'uid', role, privilegeExpiredTs),
    buildTokenWithAccount: (
      appId: string,
      appCertificate: string,
      channelName: string,
      account: string | number,
      role: number,
      privilegeExpiredTs: number,
    ) => rtc(appId, appCertificate, channelName, account, 'account', role, privilegeExpiredTs),
  })
}

function createLegacyRtmTokenBuilder({
  source: bound,
  strict,
}: LegacyContext): LegacyRtmTokenBuilder {
  return builderClass<LegacyRtmTokenBuilder>('RtmTokenBuilder', {
    buildToken: (
      appId: string,
      appCertificate: string,
      account: string | number,
      role: number,
      privilegeExpiredTs: number,
    ) => {
      checkApp(appId, appCertificate, strict)
      const { issueTs, salt } = stamp(bound)
      const user = utf8(checkIdentity(account, 'account', strict))
      if (typeof role !== 'number' || !Number.isInteger(role)) {
        throw new InvalidArgument(`role: expected RtmRole.Rtm_User (1), got ${describe(role)}`)
      }
      const time = checkAbsoluteTime(privilegeExpiredTs, strict, issueTs)
      // docs/format.md: an RTM 006 token carries the account in the channel position and an empty uid.
      return assemble006(appId, appCertificate, user, new Uint8Array(0), salt, defaultTs(issueTs), [
        [PRIVILEGE_IDS.rtmLogin, time],
      ])
    },
  })
}

/** Whether a role publishes. Strict mode accepts only the four roles of the reference. */
function checkRole(value: unknown, strict: boolean): boolean {
  if (value === LegacyRtcRole.SUBSCRIBER) return false
  if (
    value === LegacyRtcRole.ATTENDEE ||
    value === LegacyRtcRole.PUBLISHER ||
    value === LegacyRtcRole.ADMIN
  )
    return true
  if (!strict && typeof value === 'number' && Number.isInteger(value)) return false
  const name = typeof value === 'string' ? value.toUpperCase() : ''
  const hint = Object.hasOwn(LegacyRtcRole, name) ? `; use legacy.RtcRole.${name}` : ''
  throw new InvalidArgument(
    `role: expected a legacy.RtcRole (ATTENDEE 0, PUBLISHER 1, SUBSCRIBER 2 or ADMIN 101), got ${describe(value)}${hint}`,
  )
}

/**
 * privilegeExpiredTs: absolute Unix seconds, uint32, 0 for no limit. The inverse of the 007
 * builders' guard: a value before 2000-01-01 (other than 0) is a lifetime passed where a time
 * was expected, and a value that fits only as milliseconds is milliseconds.
 */
function checkAbsoluteTime(value: unknown, strict: boolean, nowSeconds: number): number {
  const path = 'privilegeExpiredTs'
  if (strict && typeof value === 'number' && Number.isInteger(value)) {
    if (value > 0 && value < ABSOLUTE_FROM) {
      const meant = nowSeconds + value
      const shown = meant <= U32_MAX ? `${meant} (${isoSeconds(meant)})` : `now + ${value}`
      throw new InvalidArgument(
        `${path} ${value} looks like seconds from now, but agora-access-token's builders take an absolute ` +
          `Unix time in seconds (0 for no limit): for ${value} s from now pass ${shown}`,
      )
    }
    if (value > U32_MAX && value / 1000 >= ABSOLUTE_FROM && value / 1000 <= U32_MAX) {
      throw new InvalidArgument(
        `${path} ${value} looks like milliseconds (${isoSeconds(value / 1000)}); pass Unix seconds, ${Math.floor(value / 1000)}`,
      )
    }
  }
  return checkUint(value, U32_MAX, path)
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
}

// Each default builder is its own pure call so that bundlers can drop what is not imported.
const defaultContext: LegacyContext = /* @__PURE__ */ Object.freeze({
  source: defaultSource,
  strict: true,
})

/**
 * agora-access-token's `RtcTokenBuilder` (006 tokens), bound to the current time and a fresh
 * random salt per token. See {@link LegacyRtcTokenBuilder}.
 *
 * @example
 * ```ts
 * import { legacy } from 'token007'
 * const expiresAt = Math.floor(Date.now() / 1000) + 3600
 * const token = legacy.RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, legacy.RtcRole.PUBLISHER, expiresAt)
 * ```
 */
export const RtcTokenBuilder: LegacyRtcTokenBuilder =
  /* @__PURE__ */ createLegacyRtcTokenBuilder(defaultContext)

/**
 * agora-access-token's `RtmTokenBuilder` (006 tokens). See {@link LegacyRtmTokenBuilder}.
 *
 * @example
 * ```ts
 * const token = legacy.RtmTokenBuilder.buildToken(appId, appCertificate, 'alice', legacy.RtmRole.Rtm_User, expiresAt)
 * ```
 */
export const RtmTokenBuilder: LegacyRtmTokenBuilder =
  /* @__PURE__ */ createLegacyRtmTokenBuilder(defaultContext)
