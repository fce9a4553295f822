// POST /verify: is this token valid here and now? The signature, app id and lifetime, then the
// registry's revocations (read at each call, so a revocation on any instance holds at once).
import { decodeToken, RegistryUnavailable, TokenError, tokenId } from '../../index.js'
import { verifyWithRegistry } from '../../registry/verify.js'
import type { RouteContext, ServerApp } from '../route-context.js'
import { HttpError } from '../errors.js'
import { jsonBody } from './token.js'

/** The identity fields a verification may name (006 tokens only carry their CRC-32s). */
const FIELDS = new Set(['token', 'channelName', 'uid'])

function invalid(message: string): never {
  throw new HttpError(400, 'ERR_INVALID_ARGUMENT', message)
}

/** What the token says about itself, when it can be decoded: its id and expiry. */
function describeToken(token: string): { id?: string; expiresAt?: string } {
  try {
    const decoded = decodeToken(token)
    const expiresAt = decoded.version === '007' ? decoded.expiresAt : new Date(decoded.ts * 1000)
    return { id: tokenId(decoded), expiresAt: expiresAt.toISOString() }
  } catch {
    return {}
  }
}

/** Registers POST /verify. */
export function registerVerifyRoutes(app: ServerApp, context: RouteContext): void {
  const { options } = context
  app.post('/verify', context.guard, async (c) => {
    const body = await jsonBody(c, options.bodyLimit)
    for (const key of Object.keys(body)) {
      if (!FIELDS.has(key))
        invalid(`${JSON.stringify(key.slice(0, 64))}: not a field (token, channelName, uid)`)
    }
    const { token, channelName, uid } = body
    if (typeof token !== 'string' || token === '') invalid('token: expected the token as a string')
    if (channelName !== undefined && typeof channelName !== 'string')
      invalid('channelName: expected a string')
    if (uid !== undefined && typeof uid !== 'string' && typeof uid !== 'number')
      invalid('uid: expected a string or an integer')
    try {
      const verified = await verifyWithRegistry(token, options.appCertificate, options.registry, {
        appId: options.appId,
        currentDate: new Date(options.now()),
        failOpen: options.failOpen,
        ...(channelName === undefined ? {} : { channelName: channelName as string }),
        ...(uid === undefined ? {} : { uid: uid as string | number }),
      })
      const expiresAt =
        verified.version === '007' ? verified.expiresAt : new Date(verified.ts * 1000)
      return c.json({
        valid: true,
        id: verified.id,
        expiresAt: expiresAt.toISOString(),
        ...(verified.revocationUnchecked ? { revocationChecked: false } : {}),
      })
    } catch (err) {
      if (err instanceof RegistryUnavailable) {
        throw new HttpError(
          503,
          'ERR_REGISTRY_UNAVAILABLE',
          'the token registry is unavailable, so revocation cannot be checked; the token is not reported valid',
          { 'Retry-After': '1' },
        )
      }
      if (!(err instanceof TokenError) || err.code === 'ERR_INVALID_ARGUMENT') {
        if (err instanceof TokenError) invalid(err.message)
        throw err
      }
      return c.json({ valid: false, code: err.code, message: err.message, ...describeToken(token) })
    }
  })
  context.methods('/verify', ['POST'])
}
