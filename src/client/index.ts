/**
 * `token007/client`: keeps an Agora access token fresh in a browser, Node, Deno, Bun or a worker
 * (and React Native, given a TextDecoder). Decodes tokens only; it contains no signing code and
 * needs no certificate.
 *
 * @packageDocumentation
 */
export { createTokenKeeper } from './keeper.js'
export type {
  FetchTokenContext,
  TokenKeeper,
  TokenKeeperErrorInfo,
  TokenKeeperOptions,
  TokenKeeperRetryOptions,
} from './types.js'
export type { SetTimer } from './timers.js'
export { ClockSkewDetected, TokenKeeperStopped, TokenRenewalMismatch } from './errors.js'
export {
  TokenError,
  InvalidArgument,
  TokenExpired,
  TokenMalformed,
  TokenTooLarge,
  TokenVersionError,
  type TokenClaim,
  type TokenErrorCode,
} from '../index.js'
export type { DecodedToken, DecodedToken006, DecodedToken007 } from '../index.js'
