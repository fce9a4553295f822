/**
 * `RtmTokenBuilder` and `Rtm2Permissions`: agora-token's RTM builders.
 *
 * @module
 */
import { InvalidArgument } from '../errors.js'
import { WILDCARD_USER, checkIdentity } from './guards.js'
import { prepareRtm2Permissions } from '../lib/services.js'
import { U16_MAX, describe, invalid } from '../lib/validate.js'
import type { Rtm2PermissionMap } from '../types.js'
import { buildFromDraft, type BuilderContext } from './pipeline.js'
import { rtmService } from './rtc.js'
import { builderClass, type BuilderClass } from './builder-class.js'

/**
 * RTM2 resource-level permissions, as in agora-token: resource type → permission type →
 * resource names.
 *
 * @example
 * ```ts
 * const permissions = new Rtm2Permissions()
 * permissions.add(Rtm2Permissions.kMessageChannels, Rtm2Permissions.kRead, ['lobby', 'news'])
 * permissions.add(Rtm2Permissions.kMessageChannels, Rtm2Permissions.kWrite, ['lobby'])
 * const token = RtmTokenBuilder.buildTokenWithPermissions(appId, appCertificate, 'alice', permissions, 3600)
 * ```
 */
export class Rtm2Permissions {
  /** Resource type 0. */
  static readonly kMessageChannels = 0
  /** Resource type 1. */
  static readonly kStreamChannels = 1
  /** Resource type 2. */
  static readonly kGroupChannels = 2
  /** Resource type 3. */
  static readonly kServerGroups = 3
  /** Resource type 4. */
  static readonly kUsers = 4
  /** Permission type 0. */
  static readonly kRead = 0
  /** Permission type 1. */
  static readonly kWrite = 1

  /** The permissions added so far: resource type → permission type → resource names. */
  details: { [resourceType: number]: { [permissionType: number]: string[] } } = {}

  /**
   * Adds, or replaces, the resources of one resource type and permission type. The list is
   * copied.
   *
   * @example
   * ```ts
   * permissions.add(Rtm2Permissions.kStreamChannels, Rtm2Permissions.kWrite, ['stage'])
   * ```
   */
  add(resourceType: number, permissionType: number, resources: string[]): void {
    checkTypeId(resourceType, 'resourceType')
    checkTypeId(permissionType, 'permissionType')
    if (!Array.isArray(resources)) invalid('resources', 'an array of resource names', resources)
    this.details[resourceType] ??= {}
    const byPermission = this.details[resourceType]
    byPermission[permissionType] = Array.from(resources)
  }
}

function checkTypeId(value: unknown, path: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > U16_MAX) {
    invalid(path, `an integer 0..${U16_MAX}`, value)
  }
}

/**
 * The permission map of a `Rtm2Permissions` (or of any object with agora-token's `details`
 * shape), for the raw layer, which checks ids and names. Reading a hostile object (a throwing
 * Proxy or getter) is reported as an invalid argument.
 */
function permissionMap(value: unknown): Rtm2PermissionMap {
  const details =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? read(() => (value as { details?: unknown }).details)
      : undefined
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    return invalid('permissions', 'an Rtm2Permissions (an object with a details map)', value)
  }
  // Plain data is read once, checked, into the form the raw layer writes as it is (a
  // PreparedRtm2Permissions, which an RTM2 service may carry in place of its map: writeRtm2
  // recognises it, hence the cast). Anything else (another shape, or a value the format refuses)
  // is copied through JSON, so that the raw layer reads values that cannot change under it and
  // reports what is wrong.
  return read(
    () =>
      (prepareRtm2Permissions(details) as Rtm2PermissionMap | undefined) ??
      (JSON.parse(JSON.stringify(details)) as Rtm2PermissionMap),
  )
}

function read<T>(get: () => T): T {
  try {
    return get()
  } catch (cause) {
    if (cause instanceof InvalidArgument) throw cause
    throw new InvalidArgument(`permissions: could not be read (${describe(cause)})`, { cause })
  }
}

/**
 * agora-token's `RtmTokenBuilder` (RTM 2 login tokens). `expire` is in seconds from now.
 * Invalid input throws `InvalidArgument` instead of returning `''`.
 */
export interface RtmTokenBuilder extends BuilderClass {
  /**
   * An RTM login token for `userId`, the login lasting as long as the token.
   *
   * @example
   * ```ts
   * const token = RtmTokenBuilder.buildToken(appId, appCertificate, 'alice', 3600)
   * ```
   */
  buildToken(appId: string, appCertificate: string, userId: string | number, expire: number): string
  /**
   * An RTM2 token with resource-level permissions. `userId` 0 is a wildcard user (written as
   * `""`), as in agora-token; the empty string stays refused.
   *
   * @example
   * ```ts
   * const permissions = new Rtm2Permissions()
   * permissions.add(Rtm2Permissions.kMessageChannels, Rtm2Permissions.kRead, ['lobby'])
   * const token = RtmTokenBuilder.buildTokenWithPermissions(appId, appCertificate, 'alice', permissions, 3600)
   * ```
   */
  buildTokenWithPermissions(
    appId: string,
    appCertificate: string,
    userId: string | number,
    permissions: Rtm2Permissions,
    expire: number,
  ): string
}

/** RtmTokenBuilder bound to a context. */
export function createRtmTokenBuilder(ctx: BuilderContext): RtmTokenBuilder {
  return builderClass<RtmTokenBuilder>('RtmTokenBuilder', {
    buildToken: (appId, appCertificate, userId, expire) =>
      buildFromDraft(ctx, appId, appCertificate, (checks) => {
        const seconds = checks.seconds(expire, 'expire')
        return { expire: seconds, services: [rtmService(checks, userId, 'userId', seconds)] }
      }),
    buildTokenWithPermissions: (appId, appCertificate, userId, permissions, expire) =>
      buildFromDraft(ctx, appId, appCertificate, (checks) => {
        // agora-token writes user 0 as "", a wildcard user, and its own tests build such a token.
        const id = checkIdentity(userId, 'userId', checks.strict, WILDCARD_USER)
        const map = permissionMap(permissions)
        const seconds = checks.seconds(expire, 'expire')
        return {
          expire: seconds,
          services: [
            { type: 'rtm2', userId: id, permissions: map, privileges: { login: seconds } },
          ],
        }
      }),
  })
}
