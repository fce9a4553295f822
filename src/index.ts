/**
 * token007: build and verify Agora-style access tokens (AccessToken2 "007" and the legacy
 * "006"), byte for byte compatible with the official builders, on every JavaScript runtime.
 *
 * @packageDocumentation
 */
export { buildToken, type BuildTokenInput } from './format/007/pack.js'
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
} from './builders/index.js'
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
} from './builders/typed.js'
export {
  decodeToken,
  DEFAULT_MAX_PAYLOAD_BYTES,
  MAX_PAYLOAD_BYTES_LIMIT,
  type DecodeOptions,
} from './decode.js'
export {
  verifyToken,
  MAX_CERTIFICATES,
  MAX_CLOCK_TOLERANCE,
  MAX_REQUIREMENTS,
  type ServiceRequirement,
  type VerifiedToken,
  type VerifiedToken006,
  type VerifiedToken007,
  type VerifyOptions,
  type ZeroPrivilegePolicy,
} from './verify.js'
export { buildToken006, type BuildToken006Input } from './format/006/pack.js'
export * as legacy from './legacy/index.js'
export {
  diagnoseToken,
  type DiagnoseExpected,
  type DiagnoseResult,
  type Finding,
  type FindingCode,
  type FindingSeverity,
} from './diagnose/diagnose.js'
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
/** The error classes and types, also as one namespace (as jose has it): `errors.TokenExpired`. */
export * as errors from './errors.js'
export { SERVICE_TYPES } from './lib/services.js'
export type * from './types.js'
export { tokenId } from './token-id.js'
export type { TokenEntry } from './token-entry.js'
