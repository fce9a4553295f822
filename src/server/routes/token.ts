// POST /token: the server's own route. JSON in, one token out with its type, ids and ISO times.
import type { Context } from 'hono'
import type { RouteContext, ServerApp } from '../route-context.js'
import type { ServerEnv } from '../auth.js'
import { HttpError } from '../errors.js'
import { issueToken, tokenResponse } from '../issue.js'
import { authorizeRequest } from '../policy.js'
import { parseJsonObject, readTokenRequest } from '../token-request.js'

const JSON_TYPE = /^application\/json\s*(?:;|$)/i

/**
 * Reads a JSON object body; 415 unless the request says it is JSON, 413 when it is larger than
 * `limit` bytes (whatever its Content-Length claimed).
 */
export async function jsonBody(
  c: Context<ServerEnv>,
  limit: number,
): Promise<Record<string, unknown>> {
  const type = c.req.header('Content-Type') ?? ''
  if (!JSON_TYPE.test(type)) {
    throw new HttpError(
      415,
      'ERR_UNSUPPORTED_MEDIA_TYPE',
      'send the body as JSON with Content-Type: application/json',
    )
  }
  const text = await c.req.text()
  // UTF-8 takes at least one byte per UTF-16 unit and at most three.
  const tooLarge =
    text.length > limit ||
    (text.length * 3 > limit && new TextEncoder().encode(text).length > limit)
  if (tooLarge) {
    throw new HttpError(413, 'ERR_BODY_TOO_LARGE', `the body is larger than ${limit} bytes`)
  }
  return parseJsonObject(text)
}

/** Registers POST /token. */
export function registerTokenRoutes(app: ServerApp, context: RouteContext): void {
  const { options } = context
  app.post('/token', context.guard, async (c) => {
    const request = readTokenRequest(await jsonBody(c, options.bodyLimit))
    const identity = c.get('identity')
    const allowed = await authorizeRequest(options, identity, request, c.req.raw)
    const issued = await issueToken(options, identity, allowed, '/token')
    return c.json(tokenResponse(options, issued))
  })
  context.methods('/token', ['POST'])
}
