// The registry's public types: filters, pages, revocations and the TokenRegistry interface that
// both stores implement.
import type { DecodedToken, TokenEntry, UserId } from '../index.js'

/**
 * Which entries to list or revoke. Every field given must match; `issuedBefore` keeps tokens
 * issued strictly before that time.
 *
 * @example
 * ```ts
 * { userId: '42', issuedBefore: new Date() } // everything issued to user 42 until now
 * { tag: 'kiosk' }
 * ```
 */
export interface TokenFilter {
  /** RTM/chat user id (a number is written as the token writes it). */
  userId?: UserId
  /** RTC uid (a number is written as the token writes it; 0 is `""`). */
  uid?: UserId
  channelName?: string
  tag?: string
  correlationId?: string
  issuedBefore?: Date
}

/** Pagination of {@link TokenRegistry.list}. */
export interface ListOptions {
  /** `nextCursor` of the previous page; omit for the first page. */
  cursor?: string
  /** Items per page, 1..1000. Default 100. */
  limit?: number
}

/**
 * One page of entries, newest first (by `issuedAt`, then id). A page may hold fewer than `limit`
 * items and still have a `nextCursor`: follow it until it is absent.
 */
export interface TokenPage {
  items: TokenEntry[]
  nextCursor?: string
}

/** The scope of a bulk-revocation cutoff: the identity fields it applies to (none: every token). */
export interface CutoffScope {
  channelName?: string
  uid?: string
  userId?: string
}

/** What {@link TokenRegistry.revoke} did. */
export interface RevokeResult {
  /** Recorded entries newly marked revoked by this call. */
  revoked: number
  /**
   * For a filter of `userId`, `uid`, `channelName` and `issuedBefore` only: the cutoff that now
   * refuses every token of that scope issued before `issuedBefore`, recorded or not, from any
   * instance. Filters with `tag` or `correlationId` reach recorded entries only.
   */
  cutoff?: { scope: CutoffScope; issuedBefore: Date }
}

/** Why a token is refused: its own revocation, or a cutoff that covers it. */
export interface Revocation {
  revokedAt: Date
  reason?: string
  /** The recorded entry, when there is one. */
  entry?: TokenEntry
  /** Set when a bulk-revocation cutoff (rather than the token's own revocation) applies. */
  cutoff?: { scope: CutoffScope; issuedBefore: Date }
}

/**
 * What a revocation check is about: a token id, a decoded token, or a subject built by hand (for
 * a 006 token, whose channel and uid travel only as CRC-32s, give them from the verification).
 */
export type TokenRef = string | DecodedToken | TokenSubject

/** A token described by its id, issue time and identity fields. */
export interface TokenSubject {
  id: string
  issuedAt: Date
  channelName?: string | readonly string[]
  uid?: string | readonly string[]
  userId?: string | readonly string[]
}

/**
 * Who was issued what, and what has been taken back. Both stores (`createMemoryRegistry`,
 * `createRedisRegistry`) implement it; every method is async and a store that cannot answer
 * rejects with `RegistryUnavailable` (never a silent "not revoked").
 *
 * Revocation here means: our own verifiers (`verifyWithRegistry`, the token server's `/verify`)
 * refuse the token and the registry shows it. Agora's servers do not consult it; keep token
 * lifetimes short.
 */
export interface TokenRegistry {
  /** Longest token lifetime (seconds) the registry can keep a revocation for. */
  readonly maxTokenLifetime: number
  /** Seconds entries and cutoffs are kept past the tokens they cover (verifier clock skew). */
  readonly clockTolerance: number
  /**
   * Records an issued token. The first record of an id wins: recording it again returns false.
   * @throws {InvalidArgument} for an invalid entry (naming the field), or a lifetime above
   *   `maxTokenLifetime`
   */
  record(entry: TokenEntry): Promise<boolean>
  /** The entry with this id (with `revokedAt` when revoked), or undefined. */
  get(id: string): Promise<TokenEntry | undefined>
  /** Entries matching `filter`, newest first, one page at a time. */
  list(filter?: TokenFilter, options?: ListOptions): Promise<TokenPage>
  /**
   * Revokes one token by id (recorded or not), or every token a filter covers. A filter of
   * `userId`/`uid`/`channelName` (and `issuedBefore`, default now) also leaves a cutoff that
   * refuses such tokens issued before it by any instance, recorded or not.
   */
  revoke(target: string | TokenFilter, reason?: string): Promise<RevokeResult>
  /** Whether the token is revoked (by id or by a cutoff). */
  isRevoked(ref: TokenRef): Promise<boolean>
  /** The revocation that applies to the token, or undefined. */
  getRevocation(ref: TokenRef): Promise<Revocation | undefined>
  /** Releases what the registry holds (a connection it opened). */
  close(): Promise<void>
}
