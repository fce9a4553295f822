/**
 * The legacy AccessToken ("006") API, exported from the package root as the `legacy` namespace
 * so that its builders (absolute expiry times) cannot be confused with the 007 ones (seconds
 * from now).
 *
 * @example
 * ```ts
 * import { legacy } from 'token007'
 * const expiresAt = Math.floor(Date.now() / 1000) + 3600
 * const token = legacy.RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room-1', 42, legacy.RtcRole.PUBLISHER, expiresAt)
 * ```
 *
 * @module
 */
export {
  RtcRole,
  RtmRole,
  RtcTokenBuilder,
  RtmTokenBuilder,
  createLegacyBuilders,
  type LegacyBuilders,
  type LegacyBuildersOptions,
  type LegacyRtcTokenBuilder,
  type LegacyRtmTokenBuilder,
} from './builders.js'
import { buildToken006 as rawBuildToken006 } from '../format/006/pack.js'
export type { BuildToken006Input } from '../format/006/pack.js'
/**
 * The root `buildToken006`, under its 0.1 name in this namespace. The raw format functions
 * (`buildToken`, `buildToken006`, `decodeToken`, `verifyToken`) are documented at the package
 * root; this alias is the same function and keeps working.
 *
 * @deprecated import `buildToken006` from the package root
 * @example
 * ```ts
 * import { buildToken006 } from 'token007' // rather than legacy.buildToken006
 * ```
 */
export const buildToken006: typeof rawBuildToken006 = rawBuildToken006
export { suggest007Call } from './migrate.js'
