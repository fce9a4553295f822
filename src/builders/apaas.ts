/**
 * `ApaasTokenBuilder` and `EducationTokenBuilder`: agora-token's APaaS / Flexible Classroom
 * builders (the two names are the same builder).
 *
 * @module
 */
import { bytesToHex } from '@noble/hashes/utils.js'
import { md5 } from '@noble/hashes/legacy.js'
import { checkIdentity, checkName } from './guards.js'
import { utf8 } from '../lib/bytes.js'
import { invalid } from '../lib/validate.js'
import type { ApaasService, Service } from '../types.js'
import { buildFromDraft, type BuilderContext, type Checks } from './pipeline.js'
import { rtmService } from './rtc.js'
import { builderClass, type BuilderClass } from './builder-class.js'

/** The role written by the user and app tokens, which have no room. */
const NO_ROLE = -1

/**
 * agora-token's `ApaasTokenBuilder` / `EducationTokenBuilder`. `expire` is in seconds from now.
 * Invalid input throws `InvalidArgument` instead of returning `''`. Where agora-token differs
 * from every other reference we follow the others: a room-user token carries the roomUser
 * privilege, and role 0 is written as 0 (agora-token writes -1).
 */
export interface ApaasTokenBuilder extends BuilderClass {
  /**
   * A room-user token: the APaaS service for the user in the room (roomUser privilege), an RTM
   * login for the user, and a Chat user token for the hex MD5 of the user's uuid.
   *
   * @param role the user's role in the room, an integer -32768..32767
   * @example
   * ```ts
   * const token = ApaasTokenBuilder.buildRoomUserToken(appId, appCertificate, 'room-uuid', 'user-uuid', 2, 3600)
   * ```
   */
  buildRoomUserToken(
    appId: string,
    appCertificate: string,
    roomUuid: string,
    userUuid: string | number,
    role: number,
    expire: number,
  ): string
  /**
   * A user token (APaaS user privilege, no room).
   *
   * @example
   * ```ts
   * const token = ApaasTokenBuilder.buildUserToken(appId, appCertificate, 'user-uuid', 3600)
   * ```
   */
  buildUserToken(
    appId: string,
    appCertificate: string,
    userUuid: string | number,
    expire: number,
  ): string
  /**
   * An app token (APaaS app privilege).
   *
   * @example
   * ```ts
   * const token = ApaasTokenBuilder.buildAppToken(appId, appCertificate, 3600)
   * ```
   */
  buildAppToken(appId: string, appCertificate: string, expire: number): string
}

/** An APaaS role: a signed 16-bit integer. */
export function checkApaasRole(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -0x8000 || value > 0x7fff) {
    invalid(path, 'an integer -32768..32767', value)
  }
  return value
}

/** An APaaS service. User and app tokens have no room, and role -1. */
export function apaasService(
  privileges: ApaasService['privileges'],
  roomUuid = '',
  userUuid = '',
  role = NO_ROLE,
): ApaasService {
  return { type: 'apaas', roomUuid, userUuid, role, privileges }
}

/**
 * A room-user token's services: APaaS with the roomUser privilege (as every reference but
 * agora-token writes it), an RTM login for the user, and Chat for the hex MD5 of the user's uuid.
 */
export function roomUserServices(
  checks: Checks,
  room: string,
  user: string,
  role: number,
  expire: number,
): Service[] {
  return [
    apaasService({ roomUser: expire }, room, user, role),
    rtmService(checks, user, 'userUuid', expire),
    { type: 'chat', userId: bytesToHex(md5(utf8(user))), privileges: { user: expire } },
  ]
}

/** ApaasTokenBuilder (also exported as EducationTokenBuilder) bound to a context. */
export function createApaasTokenBuilder(
  ctx: BuilderContext,
  name: 'ApaasTokenBuilder' | 'EducationTokenBuilder' = 'ApaasTokenBuilder',
): ApaasTokenBuilder {
  return builderClass<ApaasTokenBuilder>(name, {
    buildRoomUserToken: (appId, appCertificate, roomUuid, userUuid, role, expire) =>
      buildFromDraft(ctx, appId, appCertificate, (checks) => {
        const room = checkName(roomUuid, 'roomUuid', checks.strict)
        const user = checkIdentity(userUuid, 'userUuid', checks.strict)
        const apaasRole = checkApaasRole(role, 'role')
        const seconds = checks.seconds(expire, 'expire')
        const services = roomUserServices(checks, room, user, apaasRole, seconds)
        return { expire: seconds, services }
      }),
    buildUserToken: (appId, appCertificate, userUuid, expire) =>
      buildFromDraft(ctx, appId, appCertificate, (checks) => {
        const user = checkIdentity(userUuid, 'userUuid', checks.strict)
        const seconds = checks.seconds(expire, 'expire')
        return { expire: seconds, services: [apaasService({ user: seconds }, '', user)] }
      }),
    buildAppToken: (appId, appCertificate, expire) =>
      buildFromDraft(ctx, appId, appCertificate, (checks) => {
        const seconds = checks.seconds(expire, 'expire')
        return { expire: seconds, services: [apaasService({ app: seconds })] }
      }),
  })
}
