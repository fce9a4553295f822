// POST /renew: a caller presents a token this server issued and gets a fresh one with the same
// grants. The old token is verified with the server's own certificate and checked against the
// registry (a revoked token is not renewed), then the renewal goes through the same policy and
// issuing path as POST /token, recorded with renewedFrom.
import {
  type DecodedToken007,
  parseDuration,
  RegistryUnavailable,
  TokenError,
} from '../../index.js'
import { type RegistryVerifiedToken, verifyWithRegistry } from '../../registry/verify.js'
import { HttpError } from '../errors.js'
import { issueToken, tokenResponse } from '../issue.js'
import type { ResolvedOptions } from '../options.js'
import { authorizeRequest } from '../policy.js'
import { requestFromToken } from '../renew-request.js'
import type { RouteContext, ServerApp } from '../route-context.js'
import { jsonBody } from './token.js'

const FIELDS = new Set(['token', 'expiresIn'])

function invalid(message: string): never {
  throw new HttpError(400, 'ERR_INVALID_ARGUMENT', message)
}

function readBody(body: Record<string, unknown>): { token: string; expiresIn?: number } {
  for (const key of Object.keys(body)) {
    if (!FIELDS.has(key))
      invalid(`${JSON.stringify(key.slice(0, 64))}: not a field (token, expiresIn)`)
  }
  const { token, expiresIn } = body
  if (typeof token !== 'string' || token === '') invalid('token: expected the token as a string')
  if (expiresIn === undefined) return { token }
  if (typeof expiresIn !== 'number' && typeof expiresIn !== 'string')
    invalid("expiresIn: expected seconds or a duration such as '30m'")
  let seconds: number
  try {
    seconds = parseDuration(expiresIn, 'expiresIn')
  } catch (err) {
    invalid((err as Error).message)
  }
  if (seconds === 0) invalid('expiresIn: 0 makes a token that has expired when it is issued')
  return { token, expiresIn: seconds }
}

/**
 * Verifies the presented token: signature with the server's certificate, app id, lifetime (with
 * `renewGrace` past expiry), then revocation. Failures about the token are 400 with the
 * library's code, a revocation 403, an unreachable registry 503 (unless failOpen).
 */
async function verifyPresented(
  options: ResolvedOptions,
  token: string,
): Promise<RegistryVerifiedToken & DecodedToken007> {
  try {
    const verified = await verifyWithRegistry(token, options.appCertificate, options.registry, {
      version: '007',
      appId: options.appId,
      currentDate: new Date(options.now()),
      clockTolerance: options.renewGrace,
      failOpen: options.failOpen,
    })
    return verified as RegistryVerifiedToken & DecodedToken007
  } catch (err) {
    if (err instanceof RegistryUnavailable) {
      throw new HttpError(
        503,
        'ERR_REGISTRY_UNAVAILABLE',
        'the token registry is unavailable, so revocation cannot be checked; the token was not renewed',
        { 'Retry-After': '1' },
      )
    }
    if (!(err instanceof TokenError)) throw err
    switch (err.code) {
      case 'ERR_TOKEN_REVOKED':
        throw new HttpError(403, err.code, `token: ${err.message}; it cannot be renewed`)
      case 'ERR_TOKEN_VERSION':
        if (!token.startsWith('006')) throw new HttpError(400, err.code, `token: ${err.message}`)
        throw new HttpError(
          400,
          err.code,
          'token: only 007 tokens can be renewed (a 006 token carries its channel and uid as CRC-32s only); ask POST /token for a new one',
        )
      case 'ERR_TOKEN_EXPIRED':
        throw new HttpError(
          400,
          err.code,
          `token: it has expired${options.renewGrace > 0 ? ` more than ${options.renewGrace} s ago` : ''}, so it cannot be renewed; ask POST /token for a new one`,
        )
      default:
        // Signature, app id, malformed, too large: the message names the check, never the token.
        throw new HttpError(400, err.code, `token: ${err.message}`)
    }
  }
}

/** Registers POST /renew. */
export function registerRenewRoutes(app: ServerApp, context: RouteContext): void {
  const { options } = context
  app.post('/renew', context.guard, async (c) => {
    const { token, expiresIn } = readBody(await jsonBody(c, options.bodyLimit))
    const verified = await verifyPresented(options, token)
    const request = requestFromToken(verified)
    request.expiresIn = expiresIn ?? verified.expire
    const identity = c.get('identity')
    // The same policy as POST /token; the grants come from the token, so nothing is filled in.
    const allowed = await authorizeRequest(options, identity, request, c.req.raw, false)
    const issued = await issueToken(options, identity, allowed, '/renew', {
      renewedFrom: verified.id,
    })
    return c.json({
      ...tokenResponse(options, issued),
      renewedFrom: verified.id,
      ...(verified.revocationUnchecked ? { revocationChecked: false } : {}),
    })
  })
  context.methods('/renew', ['POST'])
}
