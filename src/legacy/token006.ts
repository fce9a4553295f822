// Legacy AccessToken ("006"). Placeholder until the legacy format lands: every 006 token is
// refused with a version error rather than misread.
import { TokenVersionError } from '../errors.js'
import type { DecodedToken006, UserId } from '../types.js'

/** What verifyToken has already validated for a 006 token. */
export interface Verify006Context {
  nowMs: number
  toleranceMs: number
  expectedAppId: string | undefined
  channelName: string | undefined
  uid: UserId | undefined
}

const unsupported = () =>
  new TokenVersionError('legacy "006" tokens are not supported by this version of token007')

/** Decodes a 006 token (not yet supported). */
export function decode006(_token: string): DecodedToken006 {
  throw unsupported()
}

/** Verifies a 006 token (not yet supported). */
export function verify006(
  _token: string,
  _certificates: readonly string[],
  _context: Verify006Context,
): DecodedToken006 & { certificateIndex: number } {
  throw unsupported()
}
