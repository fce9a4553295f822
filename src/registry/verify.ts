// verifyWithRegistry: verifyToken, then the registry's revocation check.
import {
  InvalidArgument,
  RegistryUnavailable,
  TokenRevoked,
  tokenId,
  verifyToken,
  type VerifiedToken,
  type VerifyOptions,
} from '../index.js'
import { checkUserId } from './entry.js'
import type { TokenRegistry, TokenSubject } from './types.js'

/** Options of {@link verifyWithRegistry}: those of `verifyToken`, plus what to do without the store. */
export interface RegistryVerifyOptions extends VerifyOptions {
  /**
   * When the registry's store cannot be reached: `false` (default) fails closed with
   * `RegistryUnavailable`; `true` accepts a token that passes every other check and marks the
   * result `revocationUnchecked: true`. Choose `true` only if availability matters more to you
   * than honouring a revocation while the store is down.
   */
  failOpen?: boolean
}

/** The result of {@link verifyWithRegistry}. */
export type RegistryVerifiedToken = VerifiedToken & {
  /** {@link tokenId} of the token. */
  id: string
  /** Set (true) only when `failOpen` let the token through without a revocation check. */
  revocationUnchecked?: true
}

/**
 * Verifies a token like `verifyToken` (structure, signature, app id, lifetime, requirements),
 * then asks the registry whether it has been revoked: by its id, or by a bulk revocation that
 * covers its channel, uid or user id and issue time. The check reads the store each time, so a
 * revocation made on any instance sharing the store holds at once.
 *
 * A token living longer than the registry's `maxTokenLifetime` is refused too: a revocation could
 * not be kept for its whole life.
 *
 * @example
 * ```ts
 * try {
 *   const verified = await verifyWithRegistry(token, appCertificate, registry, { appId })
 *   console.log(verified.id, verified.entry?.label)
 * } catch (err) {
 *   if (err instanceof TokenRevoked) console.log('revoked', err.revokedAt, err.reason)
 *   else throw err
 * }
 * ```
 * @throws {TokenRevoked} `ERR_TOKEN_REVOKED`, carrying the entry when one was recorded
 * @throws {RegistryUnavailable} `ERR_REGISTRY_UNAVAILABLE` when the store cannot answer (unless
 *   `failOpen`)
 * @throws {TokenError} every error of `verifyToken`
 */
export async function verifyWithRegistry(
  token: string,
  appCertificate: string | readonly string[],
  registry: TokenRegistry,
  options: RegistryVerifyOptions = {},
): Promise<RegistryVerifiedToken> {
  if (typeof registry?.getRevocation !== 'function')
    throw new InvalidArgument(
      'registry: expected a TokenRegistry (createMemoryRegistry, createRedisRegistry)',
    )
  const { failOpen = false, ...verifyOptions } = options ?? {}
  if (typeof failOpen !== 'boolean')
    throw new InvalidArgument('options.failOpen: expected a boolean')
  const tolerance = verifyOptions.clockTolerance ?? 0
  if (typeof tolerance === 'number' && tolerance > registry.clockTolerance) {
    throw new InvalidArgument(
      `options.clockTolerance: at most the registry's clockTolerance (${registry.clockTolerance} s), which is how long it keeps revocations past a token's expiry`,
    )
  }
  const verified = verifyToken(token, appCertificate, verifyOptions) as RegistryVerifiedToken
  const id = tokenId(verified)
  verified.id = id

  let subject: TokenSubject | typeof verified = verified
  let lifetime: number
  if (verified.version === '007') {
    lifetime = verified.expire
  } else {
    // A 006 token's channel and uid travel as CRC-32s only; verifyToken has checked the ones
    // given against them, so they can name the token's cutoff scopes.
    lifetime = 86_400
    subject = { id, issuedAt: new Date((verified.ts - 86_400) * 1000) }
    if (verifyOptions.channelName !== undefined) subject.channelName = verifyOptions.channelName
    if (verifyOptions.uid !== undefined) subject.uid = checkUserId(verifyOptions.uid, 'options.uid')
  }
  if (lifetime > registry.maxTokenLifetime) {
    throw new TokenRevoked(
      `token lives ${lifetime} s, longer than the registry's maxTokenLifetime (${registry.maxTokenLifetime} s): a revocation could not be kept for its whole life`,
      { token: verified },
    )
  }

  let revocation: Awaited<ReturnType<TokenRegistry['getRevocation']>>
  try {
    revocation = await registry.getRevocation(subject)
  } catch (err) {
    if (!(err instanceof RegistryUnavailable)) throw err
    if (!failOpen) throw err
    verified.revocationUnchecked = true
    return verified
  }
  if (revocation !== undefined) {
    const how = revocation.cutoff
      ? `by a revocation of every token ${describeScope(revocation.cutoff.scope)} issued before ${revocation.cutoff.issuedBefore.toISOString()}`
      : 'by its id'
    throw new TokenRevoked(
      `token ${id} was revoked ${how} at ${revocation.revokedAt.toISOString()}${revocation.reason ? ` (${revocation.reason})` : ''}`,
      {
        entry: revocation.entry,
        revokedAt: revocation.revokedAt,
        reason: revocation.reason,
        token: verified,
      },
    )
  }
  return verified
}

function describeScope(scope: { channelName?: string; uid?: string; userId?: string }): string {
  const parts: string[] = []
  if (scope.channelName !== undefined) parts.push(`in channel ${JSON.stringify(scope.channelName)}`)
  if (scope.uid !== undefined) parts.push(`for uid ${JSON.stringify(scope.uid)}`)
  if (scope.userId !== undefined) parts.push(`for user ${JSON.stringify(scope.userId)}`)
  return parts.length === 0 ? '(all)' : parts.join(' ')
}
