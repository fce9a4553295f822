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
export { buildToken006, type BuildToken006Input } from './build006.js'
export { suggest007Call } from './migrate.js'
