/**
 * The record a token registry keeps of one issued token (see `token007/registry`). Only the type
 * lives here, so that {@link TokenRevoked} can carry an entry without the root entry depending on
 * the registry.
 *
 * @module
 */

/**
 * What a registry knows about one issued token. Times are `Date`s (ISO strings over HTTP); `uid`
 * and `userId` are the strings written into the token (uid 0 is `""`, which admits any uid).
 *
 * @example
 * ```ts
 * const entry: TokenEntry = {
 *   id: tokenId(token), type: 'rtc', appId, channelName: 'room-1', uid: '42',
 *   issuedAt: new Date('2026-01-01T10:00:00Z'), expiresAt: new Date('2026-01-01T11:00:00Z'),
 *   label: 'stage camera', tags: ['studio'], issuedTo: 'apikey:backend-1',
 * }
 * ```
 */
export interface TokenEntry {
  /** {@link tokenId} of the token. */
  id: string
  /** What was issued: `'rtc'`, `'rtm'`, `'chat'`, … (the service type or the server's token type). */
  type: string
  /** The app id the token is for. */
  appId: string
  /** The RTC channel, when the token names one. */
  channelName?: string
  /** The RTC uid as written in the token. */
  uid?: string
  /** The RTM/chat user id as written in the token. */
  userId?: string
  /** When the token was issued (whole seconds for tokens read from their text). */
  issuedAt: Date
  /** When the token stops being valid. */
  expiresAt: Date
  /** A human name for the token ("lobby display"). */
  label?: string
  /** The caller's own reference (an order, a session, a request id). */
  correlationId?: string
  /** Free labels to find and revoke tokens by. */
  tags?: string[]
  /** Who asked for the token: the caller's identity as the issuer names it. */
  issuedTo: string
  /** The id of the token this one renews (set by the token server's `POST /renew`). */
  renewedFrom?: string
  /** When the token was revoked; absent while it is not. */
  revokedAt?: Date
  /** Why it was revoked, when a reason was given. */
  reason?: string
}
