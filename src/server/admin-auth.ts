// Who may use the admin routes: a caller presenting an admin API key, or an authenticated
// ordinary caller that authorizeAdmin accepts. No credential is a 401; an ordinary caller is 403.
import type { MiddlewareHandler } from 'hono'
import { apiKeyMatcher, authentication, type ServerEnv } from './auth.js'
import { errorResponse, HttpError } from './errors.js'
import type { ResolvedOptions } from './options.js'

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i

/** The admin middleware; it sets `identity` (`admin-key:<n>` for an admin key). */
export function adminAuthentication(options: ResolvedOptions): MiddlewareHandler<ServerEnv> {
  const matchAdminKey =
    options.adminApiKeys.length > 0 ? apiKeyMatcher(options.adminApiKeys) : undefined
  const ordinary = authentication({ ...options, allowAnonymous: false })
  return async (c, next) => {
    const header = c.req.header('Authorization')
    if (header === undefined) {
      return errorResponse(
        new HttpError(401, 'ERR_UNAUTHENTICATED', 'send Authorization: Bearer <an admin API key>', {
          'WWW-Authenticate': 'Bearer realm="token007-admin"',
        }),
      )
    }
    const presented = BEARER.exec(header)?.[1]
    const position = presented && matchAdminKey ? await matchAdminKey(presented) : 0
    if (position > 0) {
      c.set('identity', { id: `admin-key:${position}`, kind: 'api-key' })
      return next()
    }
    // Not an admin key: the caller must still be someone, then be accepted as an admin.
    let authenticated = false
    const refused = await ordinary(c, async () => {
      authenticated = true
    })
    if (!authenticated) {
      if (refused instanceof Response) return refused
      return errorResponse(
        new HttpError(401, 'ERR_UNAUTHENTICATED', 'the bearer credential was refused', {
          'WWW-Authenticate': 'Bearer realm="token007-admin", error="invalid_token"',
        }),
      )
    }
    const identity = c.get('identity')
    const allowed =
      options.authorizeAdmin !== undefined && (await options.authorizeAdmin(identity, c.req.raw))
    if (allowed !== true) {
      throw new HttpError(
        403,
        'ERR_FORBIDDEN',
        'this caller may not use the admin routes (use an admin API key)',
      )
    }
    return next()
  }
}
