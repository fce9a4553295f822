// How a request is authenticated: API keys (constant-time, several for rotation) and the app's
// own JWTs through Hono's bearer-auth middleware, or the app's authenticate callback. Every
// failure is a JSON 401 with WWW-Authenticate; a check that cannot run (a JWKS that does not
// answer, a throwing callback) is a 503. Either way the request is refused.
import type { Context, MiddlewareHandler } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose'
import { errorResponse, HttpError } from './errors.js'
import { ANONYMOUS, type Identity } from './identity.js'
import type { ResolvedJwt, ResolvedOptions } from './options.js'

/** The Hono variables the server's middleware sets. */
export type ServerEnv = { Variables: { identity: Identity } }

const REALM = 'token007'

/**
 * Whether `presented` equals `expected`, in time that depends only on `expected`'s length: every
 * character of the configured key is compared (XOR-accumulated), whatever the presented one holds.
 */
function sameKey(expected: string, presented: string): boolean {
  let diff = expected.length ^ presented.length
  // charCodeAt beyond the end is NaN, and NaN | 0 is 0: a shorter key still runs the full loop.
  for (let i = 0; i < expected.length; i++) {
    diff |= expected.charCodeAt(i) ^ (presented.charCodeAt(i) | 0)
  }
  return diff === 0
}

/**
 * Matches a presented key against every configured key, in constant time per key; every key is
 * compared, so the time does not reveal which one matched either.
 *
 * @returns the 1-based position of the matching key, or 0
 */
export function apiKeyMatcher(keys: readonly string[]): (presented: string) => number {
  const configured = [...keys]
  return (presented) => {
    let found = 0
    for (let i = 0; i < configured.length; i++) {
      if (sameKey(configured[i], presented) && found === 0) found = i + 1
    }
    return found
  }
}

// jose codes that mean the check could not run (the key set is unreachable or unusable), as
// opposed to a token that was checked and refused.
const UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC'])

/** Verifies a bearer JWT and resolves to its identity, or null when it is refused. */
export function jwtVerifier(
  jwt: ResolvedJwt,
  now: () => number,
): (token: string) => Promise<Identity | null> {
  const key: Uint8Array | JWTVerifyGetKey =
    jwt.secret ?? createRemoteJWKSet(jwt.jwksUrl as URL, { timeoutDuration: 5_000 })
  const algorithms = jwt.algorithms ?? (jwt.secret ? ['HS256', 'HS384', 'HS512'] : undefined)
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
        issuer: jwt.issuer,
        audience: jwt.audience,
        algorithms,
        clockTolerance: jwt.clockToleranceSeconds,
        currentDate: new Date(now()),
      })
      if (typeof payload.sub !== 'string' || payload.sub === '') return null
      return { id: `jwt:${payload.sub}`, kind: 'jwt', subject: payload.sub, claims: payload }
    } catch (err) {
      const code = (err as { code?: unknown }).code
      const refused = typeof code === 'string' && code.startsWith('ERR_') && !UNAVAILABLE.has(code)
      if (refused) return null
      throw new HttpError(
        503,
        'ERR_UNAVAILABLE',
        'the JWT could not be checked: key set unavailable',
      )
    }
  }
}

function unauthenticated(message: string, challenge: string): Response {
  return errorResponse(
    new HttpError(401, 'ERR_UNAUTHENTICATED', message, { 'WWW-Authenticate': challenge }),
  )
}

const MISSING = `Bearer realm="${REALM}"`
const INVALID = `Bearer realm="${REALM}", error="invalid_token"`

/** The bearer-token middleware for API keys and JWTs. */
function bearer(options: ResolvedOptions): MiddlewareHandler<ServerEnv> {
  const matchKey = options.apiKeys.length > 0 ? apiKeyMatcher(options.apiKeys) : undefined
  const verifyJwt = options.jwt ? jwtVerifier(options.jwt, options.now) : undefined
  const accepted = [matchKey && 'an API key', verifyJwt && 'a JWT'].filter(Boolean).join(' or ')
  const check = bearerAuth<ServerEnv>({
    realm: REALM,
    async verifyToken(token, c) {
      const position = matchKey ? matchKey(token) : 0
      let identity: Identity | null = null
      if (position > 0) identity = { id: `api-key:${position}`, kind: 'api-key' }
      else if (verifyJwt && token.split('.').length === 3) identity = await verifyJwt(token)
      if (identity === null) return false
      c.set('identity', identity)
      return true
    },
    noAuthenticationHeader: {
      message: () => unauthenticated(`send Authorization: Bearer <${accepted}>`, MISSING),
    },
    invalidAuthenticationHeader: {
      message: () =>
        unauthenticated(`the Authorization header is not "Bearer <${accepted}>"`, INVALID),
    },
    invalidToken: {
      message: () => unauthenticated(`the bearer credential was refused`, INVALID),
    },
  })
  return async (c, next) => {
    if (options.allowAnonymous && c.req.header('Authorization') === undefined) {
      c.set('identity', ANONYMOUS)
      return next()
    }
    return check(c, next)
  }
}

/** The middleware for an app's own authenticate callback. */
function custom(options: ResolvedOptions): MiddlewareHandler<ServerEnv> {
  const authenticate = options.authenticate!
  return async (c: Context<ServerEnv>, next) => {
    let found: Awaited<ReturnType<typeof authenticate>>
    try {
      found = await authenticate(c.req.raw)
    } catch {
      throw new HttpError(503, 'ERR_UNAVAILABLE', 'the authentication check failed to run')
    }
    if (found === null || found === undefined) {
      if (!options.allowAnonymous)
        return unauthenticated('the caller was not authenticated', MISSING)
      c.set('identity', ANONYMOUS)
      return next()
    }
    if (typeof found !== 'object' || typeof found.id !== 'string' || found.id === '') {
      throw new HttpError(503, 'ERR_UNAVAILABLE', 'authenticate returned no identity id')
    }
    c.set('identity', { ...found, kind: found.kind ?? 'custom' })
    return next()
  }
}

/** The authentication middleware the options call for; it sets `identity`. */
export function authentication(options: ResolvedOptions): MiddlewareHandler<ServerEnv> {
  if (options.authenticate) return custom(options)
  if (options.apiKeys.length > 0 || options.jwt) return bearer(options)
  return async (c, next) => {
    c.set('identity', ANONYMOUS)
    return next()
  }
}
