/**
 * `ApaasTokenBuilder` and `EducationTokenBuilder`: agora-token's APaaS / Flexible Classroom
 * builders (the two names are the same builder).
 *
 * @module
 */
import { bytesToHex } from '@noble/hashes/utils.js'
import { md5 } from '@noble/hashes/legacy.js'
import { checkIdentity, checkName } from '../lib/guards.js'
import { utf8 } from '../lib/bytes.js'
import { invalid } from '../lib/validate.js'
import type { ApaasService } from '../types.js'
import { mint, type BuilderContext } from './mint.js'
import { rtmService } from './rtc.js'

/** The role written by the user and app tokens, which have no room. */
const NO_ROLE = -1

/**
 * agora-token's `ApaasTokenBuilder` / `EducationTokenBuilder`. `expire` is in seconds from now.
 * Invalid input throws `InvalidArgument` instead of returning `''`. Where agora-token differs
 * from every other reference we follow the others: a room-user token carries the roomUser
 * privilege, and role 0 is written as 0 (agora-token writes -1).
 */
export interface ApaasTokenBuilder {
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
  buildUserToken(appId: string, appCertificate: string, userUuid: string | number, expire: number): string
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

function checkRole(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -0x8000 || value > 0x7fff) {
    invalid('role', 'an integer -32768..32767', value)
  }
  return value
}

function apaas(roomUuid: string, userUuid: string, role: number, privileges: ApaasService['privileges']): ApaasService {
  return { type: 'apaas', roomUuid, userUuid, role, privileges }
}

/** ApaasTokenBuilder (also exported as EducationTokenBuilder) bound to a context. */
export function createApaasTokenBuilder(ctx: BuilderContext): ApaasTokenBuilder {
  return Object.freeze({
    buildRoomUserToken: (appId, appCertificate, roomUuid, userUuid, role, expire) =>
      mint(ctx, appId, appCertificate, (checks) => {
        const room = checkName(roomUuid, 'roomUuid', checks.strict)
        const user = checkIdentity(userUuid, 'userUuid', checks.strict)
        const seconds = checks.seconds(expire, 'expire')
        return {
          expire: seconds,
          services: [
            apaas(room, user, checkRole(role), { roomUser: seconds }),
            rtmService(checks, user, 'userUuid', seconds),
            { type: 'chat', userId: bytesToHex(md5(utf8(user))), privileges: { user: seconds } },
          ],
        }
      }),
    buildUserToken: (appId, appCertificate, userUuid, expire) =>
      mint(ctx, appId, appCertificate, (checks) => {
        const user = checkIdentity(userUuid, 'userUuid', checks.strict)
        const seconds = checks.seconds(expire, 'expire')
        return { expire: seconds, services: [apaas('', user, NO_ROLE, { user: seconds })] }
      }),
    buildAppToken: (appId, appCertificate, expire) =>
      mint(ctx, appId, appCertificate, (checks) => {
        const seconds = checks.seconds(expire, 'expire')
        return { expire: seconds, services: [apaas('', '', NO_ROLE, { app: seconds })] }
      }),
  } satisfies ApaasTokenBuilder)
}
