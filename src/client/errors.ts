// The errors only the token keeper raises. Their codes are part of the library's TokenErrorCode
// so that one `switch (err.code)` covers the keeper and the decoder alike.
import { TokenError, type TokenClaim } from '../index.js'

/**
 * A renewed token grants another app, service, channel or user than the token it would replace;
 * the keeper keeps the current token. Renewing an Agora session with such a token fails with
 * error 110 (invalid token). Code `ERR_TOKEN_RENEWAL_MISMATCH`; `claim` says what differs.
 */
export class TokenRenewalMismatch extends TokenError {
  /** The first claim that differs between the current and the renewed token. */
  readonly claim: TokenClaim

  /** @param message says what the two tokens grant @param claim the claim that differs */
  constructor(message: string, claim: TokenClaim, options?: { cause?: unknown }) {
    super('ERR_TOKEN_RENEWAL_MISMATCH', message, options)
    this.claim = claim
  }
}

/**
 * A fetched token's issue time is far from the local clock. Reported once per keeper, through
 * `onError`; the keeper then times renewals by the token's own lifetime. Code `ERR_CLOCK_SKEW`.
 */
export class ClockSkewDetected extends TokenError {
  /** The token server's clock minus the local clock, in milliseconds (at least this much). */
  readonly skewMs: number

  /** @param message says by how much the clocks differ @param skewMs server minus local, ms */
  constructor(message: string, skewMs: number, options?: { cause?: unknown }) {
    super('ERR_CLOCK_SKEW', message, options)
    this.skewMs = skewMs
  }
}

/** The keeper was stopped: its `getToken()` and `refresh()` reject. Code `ERR_KEEPER_STOPPED`. */
export class TokenKeeperStopped extends TokenError {
  /** @param message says which call came after stop() */
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_KEEPER_STOPPED', message, options)
  }
}
