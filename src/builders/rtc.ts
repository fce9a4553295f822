/**
 * `RtcTokenBuilder` and `RtcRole`: agora-token's RTC builders, same names, argument order and
 * defaults.
 *
 * @module
 */
import { ANY_UID, checkIdentity, checkName, checkRtcRole } from './guards.js'
import type { PrivilegeMap, RtcPrivilege, RtcService, RtmService } from '../types.js'
import { buildFromDraft, type BuilderContext, type Checks } from './pipeline.js'
import { builderClass, type BuilderClass } from './builder-class.js'

/**
 * The two RTC roles, as in agora-token.
 *
 * @example
 * ```ts
 * RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, RtcRole.PUBLISHER, 3600, 3600)
 * ```
 */
export const RtcRole = /* @__PURE__ */ Object.freeze({
  /** Join and publish audio, video and data streams. */
  PUBLISHER: 1,
  /** Join only (publishing needs co-host authentication enabled for the project). */
  SUBSCRIBER: 2,
} as const)

/**
 * A value of {@link RtcRole}: 1 (publisher) or 2 (subscriber).
 *
 * @example
 * ```ts
 * const role: RtcRole = RtcRole.SUBSCRIBER
 * ```
 */
export type RtcRole = (typeof RtcRole)[keyof typeof RtcRole]

/**
 * agora-token's `RtcTokenBuilder`. Every lifetime is in seconds from now (not an absolute time).
 * See each method for an example.
 *
 * Differences: invalid input throws `InvalidArgument` (`ERR_INVALID_ARGUMENT`) instead of
 * returning `''`, and the guards refuse absolute timestamps, roles other than 1 and 2, and
 * the accounts `''`, `'undefined'` and `'null'`.
 */
export interface RtcTokenBuilder extends BuilderClass {
  /**
   * An RTC token for a numeric uid (0 means any uid). A publisher gets join and the three
   * publish privileges, a subscriber join only, all lasting `privilegeExpire` seconds.
   *
   * @param uid an integer 0..4294967295 (a string is taken as an account)
   * @param role `RtcRole.PUBLISHER` or `RtcRole.SUBSCRIBER`
   * @param tokenExpire lifetime of the token, seconds from now
   * @param privilegeExpire lifetime of the privileges, seconds from now (default 0)
   * @example
   * ```ts
   * const token = RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, RtcRole.PUBLISHER, 3600, 3600)
   * ```
   */
  buildTokenWithUid(
    appId: string,
    appCertificate: string,
    channelName: string,
    uid: string | number,
    role: number,
    tokenExpire: number,
    privilegeExpire?: number,
  ): string
  /**
   * An RTC token for a user account (a string; a number is written in decimal).
   *
   * @example
   * ```ts
   * const token = RtcTokenBuilder.buildTokenWithUserAccount(appId, appCertificate, 'room-1', 'alice', RtcRole.SUBSCRIBER, 3600, 3600)
   * ```
   */
  buildTokenWithUserAccount(
    appId: string,
    appCertificate: string,
    channelName: string,
    account: string | number,
    role: number,
    tokenExpire: number,
    privilegeExpire?: number,
  ): string
  /**
   * An RTC token for a numeric uid with one lifetime per privilege (join, publish audio, video,
   * data), all in seconds from now.
   *
   * @example
   * ```ts
   * const token = RtcTokenBuilder.buildTokenWithUidAndPrivilege(appId, appCertificate, 'room-1', 42, 3600, 3600, 600, 600, 600)
   * ```
   */
  buildTokenWithUidAndPrivilege(
    appId: string,
    appCertificate: string,
    channelName: string,
    uid: string | number,
    tokenExpire: number,
    joinChannelPrivilegeExpire: number,
    pubAudioPrivilegeExpire: number,
    pubVideoPrivilegeExpire: number,
    pubDataStreamPrivilegeExpire: number,
  ): string
  /**
   * An RTC token for a user account with one lifetime per privilege. (The capital B is
   * agora-token's spelling.)
   *
   * @example
   * ```ts
   * const token = RtcTokenBuilder.BuildTokenWithUserAccountAndPrivilege(appId, appCertificate, 'room-1', 'alice', 3600, 3600, 600, 600, 600)
   * ```
   */
  BuildTokenWithUserAccountAndPrivilege(
    appId: string,
    appCertificate: string,
    channelName: string,
    account: string | number,
    tokenExpire: number,
    joinChannelPrivilegeExpire: number,
    pubAudioPrivilegeExpire: number,
    pubVideoPrivilegeExpire: number,
    pubDataStreamPrivilegeExpire: number,
  ): string
  /**
   * An RTC token plus an RTM login for the same account, the login lasting `tokenExpire`.
   *
   * @example
   * ```ts
   * const token = RtcTokenBuilder.buildTokenWithRtm(appId, appCertificate, 'room-1', 'alice', RtcRole.PUBLISHER, 3600, 3600)
   * ```
   */
  buildTokenWithRtm(
    appId: string,
    appCertificate: string,
    channelName: string,
    account: string | number,
    role: number,
    tokenExpire: number,
    privilegeExpire?: number,
  ): string
  /**
   * An RTC token with per-privilege lifetimes plus an RTM login for another user id. A
   * subscriber gets join only; its publish lifetimes are checked but not written.
   *
   * @example
   * ```ts
   * const token = RtcTokenBuilder.buildTokenWithRtm2(
   *   appId, appCertificate, 'room-1', 'alice', RtcRole.PUBLISHER,
   *   3600, 3600, 3600, 3600, 3600, 'alice-rtm', 3600,
   * )
   * ```
   */
  buildTokenWithRtm2(
    appId: string,
    appCertificate: string,
    channelName: string,
    rtcAccount: string | number,
    rtcRole: number,
    rtcTokenExpire: number,
    joinChannelPrivilegeExpire: number,
    pubAudioPrivilegeExpire: number,
    pubVideoPrivilegeExpire: number,
    pubDataStreamPrivilegeExpire: number,
    rtmUserId: string | number,
    rtmTokenExpire: number,
  ): string
}

/** RTC privilege lifetimes, already checked; publish ones are written only for a publisher. */
export interface RtcLifetimes {
  join: number
  audio: number
  video: number
  data: number
}

/** An RTC service; `uid` is any identity (0 = any uid), checked here. */
export function rtcService(
  checks: Checks,
  channelName: unknown,
  uid: unknown,
  uidPath: string,
  publishes: boolean,
  lifetimes: RtcLifetimes,
): RtcService {
  const privileges: PrivilegeMap<RtcPrivilege> = { joinChannel: lifetimes.join }
  if (publishes) {
    privileges.publishAudioStream = lifetimes.audio
    privileges.publishVideoStream = lifetimes.video
    privileges.publishDataStream = lifetimes.data
  }
  return {
    type: 'rtc',
    channelName: checkName(channelName, 'channelName', checks.strict),
    uid: checkIdentity(uid, uidPath, checks.strict, ANY_UID),
    privileges,
  }
}

/** An RTM login service for `userId`. */
export function rtmService(
  checks: Checks,
  userId: unknown,
  path: string,
  login: number,
): RtmService {
  return { type: 'rtm', userId: checkIdentity(userId, path, checks.strict), privileges: { login } }
}

/** The twelve arguments shared by buildTokenWithRtm2 and the ConvoAI / STT builders. */
export type RtcRtmArgs = [
  appId: string,
  appCertificate: string,
  channelName: string,
  rtcAccount: string | number,
  rtcRole: number,
  rtcTokenExpire: number,
  joinChannelPrivilegeExpire: number,
  pubAudioPrivilegeExpire: number,
  pubVideoPrivilegeExpire: number,
  pubDataStreamPrivilegeExpire: number,
  rtmUserId: string | number,
  rtmTokenExpire: number,
]

/** buildTokenWithRtm2's token, with `extra` services appended (ConvoAI, STT). */
export function rtcRtmToken(
  ctx: BuilderContext,
  args: RtcRtmArgs,
  extra: ReadonlyArray<'convoai' | 'stt'>,
): string {
  const [appId, appCertificate, channelName, rtcAccount, rtcRole, rtcTokenExpire] = args
  const [joinExpire, audioExpire, videoExpire, dataExpire, rtmUserId, rtmTokenExpire] =
    args.slice(6)
  return buildFromDraft(ctx, appId, appCertificate, (checks) => {
    const publishes = checkRtcRole(rtcRole, 'rtcRole', checks.strict)
    const expire = checks.seconds(rtcTokenExpire, 'rtcTokenExpire')
    const lifetimes = {
      join: checks.seconds(joinExpire, 'joinChannelPrivilegeExpire'),
      audio: checks.seconds(audioExpire, 'pubAudioPrivilegeExpire'),
      video: checks.seconds(videoExpire, 'pubVideoPrivilegeExpire'),
      data: checks.seconds(dataExpire, 'pubDataStreamPrivilegeExpire'),
    }
    const login = checks.seconds(rtmTokenExpire, 'rtmTokenExpire')
    return {
      expire,
      services: [
        rtcService(checks, channelName, rtcAccount, 'rtcAccount', publishes, lifetimes),
        rtmService(checks, rtmUserId, 'rtmUserId', login),
        ...extra.map((type) => ({ type, privileges: {} })),
      ],
    }
  })
}

/** RtcTokenBuilder bound to a context. */
export function createRtcTokenBuilder(ctx: BuilderContext): RtcTokenBuilder {
  function withRole(args: readonly unknown[], uidPath: string, rtm: boolean): string {
    // agora-token's default: privilegeExpire = 0 (also when undefined is passed explicitly).
    const [appId, appCertificate, channelName, uid, role, tokenExpire, privilegeExpire = 0] = args
    return buildFromDraft(ctx, appId, appCertificate, (checks) => {
      const publishes = checkRtcRole(role, 'role', checks.strict)
      const expire = checks.seconds(tokenExpire, 'tokenExpire')
      const p = checks.seconds(privilegeExpire, 'privilegeExpire')
      const lifetimes = { join: p, audio: p, video: p, data: p }
      const rtc = rtcService(checks, channelName, uid, uidPath, publishes, lifetimes)
      return { expire, services: rtm ? [rtc, rtmService(checks, uid, uidPath, expire)] : [rtc] }
    })
  }

  function withPrivileges(args: readonly unknown[], uidPath: string): string {
    const [appId, appCertificate, channelName, uid, tokenExpire, join, audio, video, data] = args
    return buildFromDraft(ctx, appId, appCertificate, (checks) => {
      const expire = checks.seconds(tokenExpire, 'tokenExpire')
      const lifetimes = {
        join: checks.seconds(join, 'joinChannelPrivilegeExpire'),
        audio: checks.seconds(audio, 'pubAudioPrivilegeExpire'),
        video: checks.seconds(video, 'pubVideoPrivilegeExpire'),
        data: checks.seconds(data, 'pubDataStreamPrivilegeExpire'),
      }
      return { expire, services: [rtcService(checks, channelName, uid, uidPath, true, lifetimes)] }
    })
  }

  // Plain functions, not methods: `const { buildTokenWithUid } = RtcTokenBuilder` works.
  return builderClass<RtcTokenBuilder>('RtcTokenBuilder', {
    buildTokenWithUid: (...args) => withRole(args, 'uid', false),
    buildTokenWithUserAccount: (...args) => withRole(args, 'account', false),
    buildTokenWithUidAndPrivilege: (...args) => withPrivileges(args, 'uid'),
    BuildTokenWithUserAccountAndPrivilege: (...args) => withPrivileges(args, 'account'),
    buildTokenWithRtm: (...args) => withRole(args, 'account', true),
    buildTokenWithRtm2: (...args) => rtcRtmToken(ctx, args, []),
  })
}
