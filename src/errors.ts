/**
 * Typed errors. Every failure of this library is a {@link TokenError} with a stable `code`;
 * callers can `switch (err.code)` or test `err instanceof TokenExpired`.
 *
 * No message produced here ever contains an app certificate.
 *
 * @module
 */

import type { DecodedToken } from './types.js'

/** Every stable error code this library uses. */
export type TokenErrorCode =
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_TOKEN_VERSION'
  | 'ERR_TOKEN_MALFORMED'
  | 'ERR_TOKEN_TOO_LARGE'
  | 'ERR_TOKEN_SIGNATURE'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_CLAIM'
  | 'ERR_TOKEN_PRIVILEGE'
  | 'ERR_TOKEN_REVOKED'
  | 'ERR_REGISTRY_UNAVAILABLE'
  | 'ERR_TOKEN_RENEWAL_MISMATCH'
  | 'ERR_CLOCK_SKEW'
  | 'ERR_KEEPER_STOPPED'

/**
 * Base class of every error this library throws on purpose.
 *
 * @example
 * ```ts
 * try {
 *   verifyToken(token, appCertificate)
 * } catch (err) {
 *   if (err instanceof TokenError && err.code === 'ERR_TOKEN_EXPIRED') refresh()
 *   else throw err
 * }
 * ```
 */
export class TokenError extends Error {
  /** A stable, machine-readable code; see {@link TokenErrorCode}. */
  readonly code: TokenErrorCode

  /** @param code the stable code @param message what went wrong and what to fix */
  constructor(code: TokenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = new.target.name
  }
}

/** A function argument is missing, of the wrong type, or out of range. Code `ERR_INVALID_ARGUMENT`. */
export class InvalidArgument extends TokenError {
  /** @param message names the argument and what was expected */
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_INVALID_ARGUMENT', message, options)
  }
}

/** The token does not start with a version this library reads ("007" or "006"). Code `ERR_TOKEN_VERSION`. */
export class TokenVersionError extends TokenError {
  /** @param message says which prefix was found */
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_TOKEN_VERSION', message, options)
  }
}

/** The token's envelope or payload does not follow the format. Code `ERR_TOKEN_MALFORMED`. */
export class TokenMalformed extends TokenError {
  /** @param message says which part of the structure is wrong */
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_TOKEN_MALFORMED', message, options)
  }
}

/** The token, or its inflated payload, is larger than allowed. Code `ERR_TOKEN_TOO_LARGE`. */
export class TokenTooLarge extends TokenError {
  /** @param message says which limit was exceeded */
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_TOKEN_TOO_LARGE', message, options)
  }
}

/** No given certificate produces the token's signature. Code `ERR_TOKEN_SIGNATURE`. */
export class TokenSignatureInvalid extends TokenError {
  /** @param message never contains a certificate */
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_TOKEN_SIGNATURE', message, options)
  }
}

/**
 * The token is authentic but its lifetime is over. Code `ERR_TOKEN_EXPIRED`.
 * `token` holds the decoded token so that callers can report details; `token.expiresAt` exists
 * for both versions.
 *
 * @example
 * ```ts
 * try {
 *   verifyToken(token, appCertificate)
 * } catch (err) {
 *   if (err instanceof TokenExpired) console.log('expired at', err.token.expiresAt)
 * }
 * ```
 */
export class TokenExpired extends TokenError {
  /** The decoded (and signature-checked) token. */
  readonly token: DecodedToken

  /** @param token the decoded token */
  constructor(message: string, token: DecodedToken, options?: { cause?: unknown }) {
    super('ERR_TOKEN_EXPIRED', message, options)
    this.token = token
  }
}

/** Which claim did not match in a {@link TokenClaimMismatch}. */
export type TokenClaim =
  | 'appId'
  | 'issuedAt'
  | 'service'
  | 'channelName'
  | 'uid'
  | 'userId'
  | 'account'
  | 'roomUuid'
  | 'userUuid'

/**
 * The token is authentic but was made for another app, channel, uid or user.
 * Code `ERR_TOKEN_CLAIM`; `claim` says which one.
 */
export class TokenClaimMismatch extends TokenError {
  /** The claim that did not match. */
  readonly claim: TokenClaim
  /** The decoded (and signature-checked) token, when one could be decoded. */
  readonly token: DecodedToken | undefined

  /** @param claim which claim failed @param token the decoded token */
  constructor(
    message: string,
    claim: TokenClaim,
    token: DecodedToken | undefined,
    options?: { cause?: unknown },
  ) {
    super('ERR_TOKEN_CLAIM', message, options)
    this.claim = claim
    this.token = token
  }
}

/**
 * The token is authentic and for the right subject, but does not grant the required
 * privilege, or that privilege has expired. Code `ERR_TOKEN_PRIVILEGE`.
 */
export class TokenPrivilegeMissing extends TokenError {
  /** The decoded (and signature-checked) token. */
  readonly token: DecodedToken

  /** @param token the decoded token */
  constructor(message: string, token: DecodedToken, options?: { cause?: unknown }) {
    super('ERR_TOKEN_PRIVILEGE', message, options)
    this.token = token
  }
}

// --- Token registry (token007/registry): revocation and an unreachable store -----------------

/**
 * The token is authentic but has been revoked in a token registry: by its id, by a bulk
 * revocation (everything issued to a user or in a channel before a time), or because it lives
 * longer than the registry can keep a revocation. Code `ERR_TOKEN_REVOKED`.
 *
 * Agora's own servers do not consult a registry: revocation holds for verifiers that do
 * (`verifyWithRegistry`, the token server's `/verify`).
 */
export class TokenRevoked extends TokenError {
  /** The registry's entry for the token, when it was recorded. */
  readonly entry: import('./token-entry.js').TokenEntry | undefined
  /** When the revocation was made. */
  readonly revokedAt: Date | undefined
  /** Why, when a reason was given. */
  readonly reason: string | undefined
  /** The decoded (and signature-checked) token, when one was given. */
  readonly token: DecodedToken | undefined

  /** @param message says what revoked the token; never contains the token */
  constructor(
    message: string,
    details: {
      entry?: import('./token-entry.js').TokenEntry
      revokedAt?: Date
      reason?: string
      token?: DecodedToken
    } = {},
    options?: { cause?: unknown },
  ) {
    super('ERR_TOKEN_REVOKED', message, options)
    this.entry = details.entry
    this.revokedAt = details.revokedAt
    this.reason = details.reason
    this.token = details.token
  }
}

/**
 * A token registry's store could not be reached or did not answer in time, so a revocation check
 * or a record could not run. Services fail closed on it (HTTP 503). Code `ERR_REGISTRY_UNAVAILABLE`.
 */
export class RegistryUnavailable extends TokenError {
  /** @param message says which store and what failed; never contains a password */
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_REGISTRY_UNAVAILABLE', message, options)
  }
}
