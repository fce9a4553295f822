/**
 * token007: build and verify Agora-style access tokens (AccessToken2 "007" and the legacy
 * "006"), byte for byte compatible with the official builders, on every JavaScript runtime.
 *
 * @packageDocumentation
 */
export { buildToken, type BuildTokenInput } from './build.js'
export {
  createTokenBuilders,
  RtcTokenBuilder,
  RtmTokenBuilder,
  ChatTokenBuilder,
  ApaasTokenBuilder,
  EducationTokenBuilder,
  FpaTokenBuilder,
  ConvoAITokenBuilder,
  SttTokenBuilder,
  RtcRole,
  Rtm2Permissions,
  type AgentTokenBuilder,
  type TokenBuilders,
  type TokenBuildersOptions,
} from './builders.js'
export {
  rtcToken,
  rtmToken,
  chatToken,
  apaasToken,
  fpaToken,
  agentToken,
  parseDuration,
  type Duration,
  type TokenOptions,
  type TokenSource,
  type RtcTokenOptions,
  type RtmTokenOptions,
  type ChatTokenOptions,
  type ApaasTokenOptions,
  type AgentTokenOptions,
} from './typed.js'
export { decodeToken, DEFAULT_MAX_PAYLOAD_BYTES, type DecodeOptions } from './decode.js'
export {
  verifyToken,
  type ServiceRequirement,
  type VerifiedToken,
  type VerifyOptions,
  type ZeroPrivilegePolicy,
} from './verify.js'
export { buildToken006, type BuildToken006Input } from './legacy/build006.js'
export * as legacy from './legacy/index.js'
export {
  TokenError,
  InvalidArgument,
  TokenVersionError,
  TokenMalformed,
  TokenTooLarge,
  TokenSignatureInvalid,
  TokenExpired,
  TokenClaimMismatch,
  TokenPrivilegeMissing,
  TokenRevoked,
  RegistryUnavailable,
  type TokenClaim,
  type TokenErrorCode,
} from './errors.js'
export type * from './types.js'
export { tokenId } from './token-id.js'
export type { TokenEntry } from './token-entry.js'
