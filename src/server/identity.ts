// Who is calling: the identity every authentication method resolves to.

/** How a caller was authenticated. */
export type IdentityKind = 'api-key' | 'jwt' | 'custom' | 'anonymous'

/**
 * The caller of a request, as authentication resolved it. `id` keys the rate limit and appears in
 * `onIssue` events; it is never a secret (an API key caller is `api-key:1`, `api-key:2`… by the
 * key's position, a JWT caller `jwt:<subject>`).
 *
 * @example
 * ```ts
 * const identity: Identity = { id: 'jwt:user-42', kind: 'jwt', subject: 'user-42' }
 * ```
 */
export interface Identity {
  /** A stable, non-secret id of the caller. */
  id: string
  /** How the caller was authenticated. */
  kind: IdentityKind
  /**
   * The end user this caller acts for (a JWT's `sub`). When set, tokens are issued for this
   * uid / user id only, unless `authorize` decides otherwise.
   */
  subject?: string
  /** A JWT's verified claims (or whatever a custom `authenticate` attached). */
  claims?: Readonly<Record<string, unknown>>
}

/**
 * What a custom `authenticate` returns for an accepted caller: an {@link Identity} whose `kind`
 * defaults to `'custom'`.
 *
 * @example
 * ```ts
 * const caller: IdentityInput = { id: `session:${session.userId}`, subject: session.userId }
 * ```
 */
export type IdentityInput = Omit<Identity, 'kind'> & { kind?: IdentityKind }

/** The identity of an unauthenticated caller when `allowAnonymous` is on. */
export const ANONYMOUS: Identity = Object.freeze({ id: 'anonymous', kind: 'anonymous' })
