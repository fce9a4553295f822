/**
 * The typed API: one function per kind of token, taking one options object, with durations as
 * `'1h'`-style strings or seconds, an absolute `Date` as an alternative, and the same guards as
 * the drop-in builders. Every function goes through the raw `buildToken`.
 *
 * @example
 * ```ts
 * import { rtcToken } from 'token007'
 * const token = rtcToken({ appId, appCertificate, channelName: 'room-1', uid: 42, role: 'publisher', expiresIn: '1h' })
 * ```
 *
 * @module
 */
import { InvalidArgument } from '../errors.js'
import {
  type Duration,
  type Lifetimes,
  lifetimeSeconds,
  maxLifetime,
  overLimit,
} from './duration.js'
import { WILDCARD_USER, checkIdentity, checkName } from './guards.js'
import { checkSource, defaultSource, type TokenSource } from './source.js'
import { U32_MAX, describe, invalid } from '../lib/validate.js'
import { buildFromDraft, type BuilderContext, type Checks, type Draft } from './pipeline.js'
import { apaasService, checkApaasRole, roomUserServices } from './apaas.js'
import { rtcService, rtmService, type RtcLifetimes } from './rtc.js'
import type { RtcPrivilege, Rtm2PermissionMap, Service } from '../types.js'

export type { TokenSource } from './source.js'
export { type Duration, parseDuration } from './duration.js'

/**
 * Options every typed function takes.
 *
 * @example
 * ```ts
 * const common: TokenOptions = { appId, appCertificate, expiresIn: '1h' }
 * fpaToken(common)
 * ```
 */
export interface TokenOptions {
  /**
   * The app id: 32 hexadecimal characters.
   *
   * @example
   * ```ts
   * { appId: process.env.AGORA_APP_ID! }
   * ```
   */
  appId: string
  /**
   * The app certificate: 32 hexadecimal characters. Never appears in an error message.
   *
   * @example
   * ```ts
   * { appCertificate: process.env.AGORA_APP_CERTIFICATE! }
   * ```
   */
  appCertificate: string
  /**
   * How long the token is valid after it is issued. Default `'1h'`. Give this or `expiresAt`,
   * not both.
   *
   * @example
   * ```ts
   * { expiresIn: '24h' } // or 86400
   * ```
   */
  expiresIn?: Duration
  /**
   * When the token stops being valid, as an absolute time; written as the whole seconds from
   * the issue time to it (so the token never outlives it). Must be in the future.
   *
   * @example
   * ```ts
   * { expiresAt: new Date('2030-01-01T00:00:00Z') }
   * ```
   */
  expiresAt?: Date
  /**
   * Where the issue time and the salt come from. Default: `Date.now()` and
   * `crypto.getRandomValues`. Pin it for tests and reproducible builds.
   *
   * @example
   * ```ts
   * { source: { now: () => Date.UTC(2030, 0, 1), salt: () => 1 } }
   * ```
   */
  source?: TokenSource
  /**
   * The longest lifetime accepted for the token and each of its privileges. Default `'24h'`:
   * Agora caps a token's useful life at 24 hours, so a longer one is usually a mistake (such
   * as milliseconds passed as seconds: `3_600_000` is 41.7 days). Raise it to build longer-lived
   * tokens.
   *
   * @example
   * ```ts
   * { expiresIn: '7d', maxLifetime: '7d' }
   * ```
   */
  maxLifetime?: Duration
  /**
   * `false` turns off the guards against common mistakes (absolute times or milliseconds as
   * lifetimes, the uid string `'0'`, an upper-case certificate, the accounts `''`, `'undefined'`
   * and `'null'`), as in {@link createTokenBuilders}. `maxLifetime` still applies. Default `true`.
   *
   * @example
   * ```ts
   * { uid: '0', guards: false } // a token for the account "0", not for any uid
   * ```
   */
  guards?: boolean
}

/**
 * Options of {@link rtcToken}.
 *
 * @example
 * ```ts
 * rtcToken({ appId, appCertificate, channelName: 'room-1', uid: 42, role: 'subscriber' })
 * ```
 */
export interface RtcTokenOptions extends TokenOptions {
  /**
   * The channel to join.
   *
   * @example
   * ```ts
   * { channelName: 'room-1' }
   * ```
   */
  channelName: string
  /**
   * The user: an integer uid 1..4294967295, `0` for any uid, or a non-empty account string.
   * The string `'0'` (what a query string gives) is refused: it is the account "0", not any
   * uid; convert it with `Number()`.
   *
   * @example
   * ```ts
   * { uid: 42 } // or { uid: 'alice' }
   * ```
   */
  uid: number | string
  /**
   * `'publisher'` may join and publish audio, video and data; `'subscriber'` may only join.
   *
   * @example
   * ```ts
   * { role: 'publisher' }
   * ```
   */
  role: 'publisher' | 'subscriber'
  /**
   * How long the privileges last: one duration for all, or one per privilege (the others last
   * as long as the token). Default: as long as the token. Publish lifetimes apply to publishers.
   *
   * @example
   * ```ts
   * { privilegeExpiresIn: '30m' }
   * { privilegeExpiresIn: { joinChannel: '1h', publishVideoStream: '10m' } }
   * ```
   */
  privilegeExpiresIn?: Duration | Partial<Record<RtcPrivilege, Duration>>
  /**
   * Adds an RTM login for this user id to the same token (agora-token's `buildTokenWithRtm`).
   *
   * @example
   * ```ts
   * { rtmUserId: 'alice' }
   * ```
   */
  rtmUserId?: string | number
  /**
   * How long the RTM login lasts. Default: as long as the token.
   *
   * @example
   * ```ts
   * { rtmUserId: 'alice', rtmExpiresIn: '8h' }
   * ```
   */
  rtmExpiresIn?: Duration
}

/**
 * Options of {@link rtmToken}.
 *
 * @example
 * ```ts
 * rtmToken({ appId, appCertificate, userId: 'alice' })
 * ```
 */
export interface RtmTokenOptions extends TokenOptions {
  /**
   * The user who logs in to RTM: a non-empty string or an integer 1..4294967295. With
   * `permissions`, 0 is a wildcard user (written as `""`).
   *
   * @example
   * ```ts
   * { userId: 'alice' }
   * ```
   */
  userId: string | number
  /**
   * RTM2 resource-level permissions; with them the token carries an RTM2 service (agora-token's
   * `buildTokenWithPermissions`).
   *
   * @example
   * ```ts
   * { permissions: { messageChannels: { read: ['lobby', 'news'], write: ['lobby'] } } }
   * ```
   */
  permissions?: Rtm2PermissionMap
}

/**
 * Options of {@link chatToken}.
 *
 * @example
 * ```ts
 * chatToken({ appId, appCertificate, userId: 'alice' })
 * ```
 */
export interface ChatTokenOptions extends TokenOptions {
  /**
   * The Chat user; without it the token is a Chat app token.
   *
   * @example
   * ```ts
   * { userId: 'alice' }
   * ```
   */
  userId?: string | number
}

/**
 * Options of {@link apaasToken}.
 *
 * @example
 * ```ts
 * apaasToken({ appId, appCertificate, userUuid: 'user-uuid' })
 * ```
 */
export interface ApaasTokenOptions extends TokenOptions {
  /**
   * The room: with it (and `userUuid` and `role`) the token is a room-user token.
   *
   * @example
   * ```ts
   * { roomUuid: 'room-uuid', userUuid: 'user-uuid', role: 2 }
   * ```
   */
  roomUuid?: string
  /**
   * The user: alone, it makes a user token; with neither this nor `roomUuid`, an app token.
   *
   * @example
   * ```ts
   * { userUuid: 'user-uuid' }
   * ```
   */
  userUuid?: string | number
  /**
   * The user's role in the room (an integer -32768..32767), for room-user tokens.
   *
   * @example
   * ```ts
   * { role: 1 }
   * ```
   */
  role?: number
}

/**
 * Options of {@link agentToken}.
 *
 * @example
 * ```ts
 * agentToken({ kind: 'stt', appId, appCertificate, channelName: 'room-1', uid: 0, role: 'subscriber', rtmUserId: 'stt-bot' })
 * ```
 */
export interface AgentTokenOptions extends Omit<RtcTokenOptions, 'rtmUserId'> {
  /**
   * Which agent service the token carries: Conversational AI (type 9) or speech-to-text (type 10).
   *
   * @example
   * ```ts
   * { kind: 'convoai' }
   * ```
   */
  kind: 'convoai' | 'stt'
  /**
   * The agent's RTM user id.
   *
   * @example
   * ```ts
   * { rtmUserId: 'agent-1001' }
   * ```
   */
  rtmUserId: string | number
}

const RTC_PRIVILEGES: ReadonlyArray<readonly [RtcPrivilege, keyof RtcLifetimes]> = [
  ['joinChannel', 'join'],
  ['publishAudioStream', 'audio'],
  ['publishVideoStream', 'video'],
  ['publishDataStream', 'data'],
]

function options(value: unknown, fn: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid(`${fn} options`, 'an object', value)
  }
  return value as Record<string, unknown>
}

/** The token lifetime from expiresIn / expiresAt (default one hour). */
function lifetime(o: Record<string, unknown>, limits: Lifetimes): number {
  const issueTs = limits.issueTs
  const { expiresIn, expiresAt } = o
  if (expiresIn !== undefined && expiresAt !== undefined) {
    throw new InvalidArgument('expiresIn, expiresAt: give one of them, not both')
  }
  let seconds: number
  if (expiresAt !== undefined) {
    if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) {
      invalid('expiresAt', 'a valid Date', expiresAt)
    }
    const at = expiresAt.toISOString()
    seconds = Math.floor(expiresAt.getTime() / 1000) - issueTs
    if (seconds <= 0) {
      const issued = new Date(issueTs * 1000).toISOString()
      throw new InvalidArgument(`expiresAt: ${at} is not after the issue time (${issued})`)
    }
    if (seconds > U32_MAX) {
      throw new InvalidArgument(`expiresAt: ${at} is more than ${U32_MAX} seconds away`)
    }
    if (seconds > limits.max) {
      overLimit(`expiresAt: ${at} is ${seconds} seconds after the issue time`, expiresAt, limits)
    }
  } else {
    seconds = expiresIn === undefined ? 3600 : lifetimeSeconds(expiresIn, 'expiresIn', limits)
    if (seconds === 0) {
      throw new InvalidArgument('expiresIn: 0 makes a token that has expired when it is issued')
    }
  }
  return seconds
}

/** Resolves the common options, then builds through the raw layer. */
function typedToken(
  fn: string,
  input: unknown,
  draft: (o: Record<string, unknown>, checks: TypedChecks, expire: number) => Service[],
): string {
  const o = options(input, fn)
  const source = o.source === undefined ? defaultSource : checkSource(o.source, 'source')
  if (o.guards !== undefined && typeof o.guards !== 'boolean') {
    invalid('guards', 'a boolean', o.guards)
  }
  const ctx: BuilderContext = { source, strict: o.guards !== false }
  const max = maxLifetime(o.maxLifetime)
  return buildFromDraft(ctx, o.appId, o.appCertificate, (checks): Draft => {
    const limits: Lifetimes = { strict: checks.strict, issueTs: checks.issueTs, max }
    const expire = lifetime(o, limits)
    return { expire, services: draft(o, { ...checks, limits }, expire) }
  })
}

/** The builders' checks plus the typed call's lifetime limits. */
interface TypedChecks extends Checks {
  readonly limits: Lifetimes
}

function rtcPublishes(role: unknown): boolean {
  if (role === 'publisher' || role === 'subscriber') return role === 'publisher'
  const meant = role === 1 ? 'publisher' : role === 2 ? 'subscriber' : undefined
  const hint = meant ? `; the typed API takes '${meant}'` : ''
  throw new InvalidArgument(
    `role: expected 'publisher' or 'subscriber', got ${describe(role)}${hint}`,
  )
}

function rtcLifetimes(value: unknown, expire: number, limits: Lifetimes): RtcLifetimes {
  const all = { join: expire, audio: expire, video: expire, data: expire }
  if (value === undefined) return all
  if (typeof value === 'number' || typeof value === 'string') {
    const seconds = lifetimeSeconds(value, 'privilegeExpiresIn', limits)
    return { join: seconds, audio: seconds, video: seconds, data: seconds }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid('privilegeExpiresIn', 'a duration or an object of durations by privilege', value)
  }
  const known = new Map(RTC_PRIVILEGES)
  for (const [name, d] of Object.entries(value)) {
    const key = known.get(name as RtcPrivilege)
    if (key === undefined) {
      invalid('privilegeExpiresIn', `keys among ${[...known.keys()].join(', ')}`, name)
    }
    if (d !== undefined) all[key] = lifetimeSeconds(d, `privilegeExpiresIn.${name}`, limits)
  }
  return all
}

function rtcAndRtm(
  o: Record<string, unknown>,
  checks: TypedChecks,
  expire: number,
  rtmRequired: boolean,
): Service[] {
  const publishes = rtcPublishes(o.role)
  const lifetimes = rtcLifetimes(o.privilegeExpiresIn, expire, checks.limits)
  const services: Service[] = [
    rtcService(checks, o.channelName, o.uid, 'uid', publishes, lifetimes),
  ]
  if (o.rtmUserId !== undefined || rtmRequired) {
    const login =
      o.rtmExpiresIn === undefined
        ? expire
        : lifetimeSeconds(o.rtmExpiresIn, 'rtmExpiresIn', checks.limits)
    services.push(rtmService(checks, o.rtmUserId, 'rtmUserId', login))
  } else if (o.rtmExpiresIn !== undefined) {
    throw new InvalidArgument('rtmExpiresIn: given without rtmUserId')
  }
  return services
}

/**
 * An RTC token, optionally with an RTM login in the same token.
 *
 * @example
 * ```ts
 * const token = rtcToken({
 *   appId, appCertificate,
 *   channelName: 'room-1', uid: 42, role: 'publisher',
 *   expiresIn: '1h', privilegeExpiresIn: { publishVideoStream: '10m' },
 * })
 * ```
 * @throws {InvalidArgument} on a missing or invalid option
 */
export function rtcToken(opts: RtcTokenOptions): string {
  return typedToken('rtcToken', opts, (o, checks, expire) => rtcAndRtm(o, checks, expire, false))
}

/**
 * An RTM login token, or with `permissions` an RTM2 token with resource-level permissions.
 *
 * @example
 * ```ts
 * const token = rtmToken({ appId, appCertificate, userId: 'alice', expiresIn: '8h' })
 * ```
 * @throws {InvalidArgument} on a missing or invalid option
 */
export function rtmToken(opts: RtmTokenOptions): string {
  return typedToken('rtmToken', opts, (o, checks, expire) => {
    if (o.permissions === undefined) return [rtmService(checks, o.userId, 'userId', expire)]
    const userId = checkIdentity(o.userId, 'userId', checks.strict, WILDCARD_USER)
    // The raw layer checks the permission map.
    const permissions = o.permissions as Rtm2PermissionMap
    return [{ type: 'rtm2', userId, permissions, privileges: { login: expire } }]
  })
}

/**
 * A Chat user token, or without `userId` a Chat app token.
 *
 * @example
 * ```ts
 * const userToken = chatToken({ appId, appCertificate, userId: 'alice' })
 * const appToken = chatToken({ appId, appCertificate, expiresIn: '24h' })
 * ```
 * @throws {InvalidArgument} on a missing or invalid option
 */
export function chatToken(opts: ChatTokenOptions): string {
  return typedToken('chatToken', opts, (o, checks, expire) =>
    o.userId === undefined
      ? [{ type: 'chat', userId: '', privileges: { app: expire } }]
      : [
          {
            type: 'chat',
            userId: checkIdentity(o.userId, 'userId', checks.strict),
            privileges: { user: expire },
          },
        ],
  )
}

/**
 * An APaaS (Flexible Classroom) token: a room-user token with `roomUuid`, `userUuid` and `role`
 * (APaaS roomUser + RTM login + Chat user, like `ApaasTokenBuilder.buildRoomUserToken`), a
 * user token with `userUuid` alone, an app token with neither.
 *
 * @example
 * ```ts
 * const token = apaasToken({ appId, appCertificate, roomUuid: 'room-uuid', userUuid: 'user-uuid', role: 2 })
 * ```
 * @throws {InvalidArgument} on a missing or invalid option
 */
export function apaasToken(opts: ApaasTokenOptions): string {
  return typedToken('apaasToken', opts, (o, checks, expire) => {
    if (o.roomUuid !== undefined) {
      const room = checkName(o.roomUuid, 'roomUuid', checks.strict)
      const user = checkIdentity(o.userUuid, 'userUuid', checks.strict)
      if (o.role === undefined) {
        invalid('role', 'an integer -32768..32767 (required with roomUuid)', o.role)
      }
      return roomUserServices(checks, room, user, checkApaasRole(o.role, 'role'), expire)
    }
    if (o.role !== undefined) {
      throw new InvalidArgument('role: only a room-user token (with roomUuid) has a role')
    }
    if (o.userUuid === undefined) return [apaasService({ app: expire })]
    const user = checkIdentity(o.userUuid, 'userUuid', checks.strict)
    return [apaasService({ user: expire }, '', user)]
  })
}

/**
 * An FPA token (its login privilege written as 0, as by every reference).
 *
 * @example
 * ```ts
 * const token = fpaToken({ appId, appCertificate, expiresIn: '24h' })
 * ```
 * @throws {InvalidArgument} on a missing or invalid option
 */
export function fpaToken(opts: TokenOptions): string {
  return typedToken('fpaToken', opts, () => [{ type: 'fpa', privileges: { login: 0 } }])
}

/**
 * An agent token: RTC + RTM login + a Conversational AI or speech-to-text service, like
 * `ConvoAITokenBuilder.buildToken` / `SttTokenBuilder.buildToken`.
 *
 * @example
 * ```ts
 * const token = agentToken({
 *   kind: 'convoai', appId, appCertificate,
 *   channelName: 'room-1', uid: 1001, role: 'publisher', rtmUserId: 'agent-1001', expiresIn: '1h',
 * })
 * ```
 * @throws {InvalidArgument} on a missing or invalid option
 */
export function agentToken(opts: AgentTokenOptions): string {
  return typedToken('agentToken', opts, (o, checks, expire) => {
    if (o.kind !== 'convoai' && o.kind !== 'stt') invalid('kind', "'convoai' or 'stt'", o.kind)
    return [...rtcAndRtm(o, checks, expire, true), { type: o.kind, privileges: {} }]
  })
}
