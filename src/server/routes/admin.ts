// The admin routes, behind admin credentials: list and get recorded tokens, revoke one, revoke
// in bulk. Registry errors map to 400 (bad filter) and 503 (store unreachable).
import { InvalidArgument, type TokenEntry } from '../../index.js'
import type { TokenFilter } from '../../registry/types.js'
import { adminAuthentication } from '../admin-auth.js'
import type { RouteContext, ServerApp } from '../route-context.js'
import { HttpError } from '../errors.js'
import { jsonBody } from './token.js'

const FILTER_PARAMS = ['userId', 'uid', 'channelName', 'tag', 'correlationId', 'issuedBefore']
const LIST_PARAMS = new Set([...FILTER_PARAMS, 'cursor', 'limit'])
const REVOCATION_FIELDS = new Set(['userId', 'uid', 'channelName', 'issuedBefore', 'reason'])
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/

function invalid(message: string): never {
  throw new HttpError(400, 'ERR_INVALID_ARGUMENT', message)
}

function time(value: unknown, field: string): Date {
  if (typeof value !== 'string' || !ISO_TIME.test(value) || Number.isNaN(Date.parse(value)))
    invalid(`${field}: expected an ISO 8601 time such as 2026-01-01T12:00:00Z`)
  return new Date(value)
}

/** An entry as JSON: times as ISO strings. */
function entryJson(entry: TokenEntry) {
  return JSON.parse(JSON.stringify(entry)) as Record<string, unknown>
}

/** Registers GET /tokens, GET /tokens/:id, DELETE /tokens/:id and POST /revocations. */
export function registerAdminRoutes(app: ServerApp, context: RouteContext): void {
  const { options } = context
  const { registry } = options
  // jsonBody enforces the body limit on POST /revocations; the other admin routes take no body.
  const admin = adminAuthentication(options)

  app.get('/tokens', admin, async (c) => {
    const query = c.req.queries()
    const filter: Record<string, unknown> = {}
    let cursor: string | undefined
    let limit: number | undefined
    for (const [key, values] of Object.entries(query)) {
      if (!LIST_PARAMS.has(key))
        invalid(
          `${JSON.stringify(key.slice(0, 64))}: not a parameter (${[...LIST_PARAMS].join(', ')})`,
        )
      if (values.length !== 1) invalid(`${key}: give it once`)
      const value = values[0]
      if (key === 'cursor') cursor = value
      else if (key === 'limit') {
        if (!/^\d{1,4}$/.test(value)) invalid('limit: expected an integer 1..1000')
        limit = Number(value)
      } else if (key === 'issuedBefore') filter.issuedBefore = time(value, 'issuedBefore')
      else filter[key] = value
    }
    const page = await registry.list(filter as TokenFilter, { cursor, limit })
    return c.json({
      items: page.items.map(entryJson),
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    })
  })
  context.methods('/tokens', ['GET'])

  app.get('/tokens/:id', admin, async (c) => {
    const entry = await registry.get(c.req.param('id'))
    if (entry === undefined)
      throw new HttpError(
        404,
        'ERR_NOT_FOUND',
        'no token with this id is recorded (or it has expired)',
      )
    return c.json(entryJson(entry))
  })

  app.delete('/tokens/:id', admin, async (c) => {
    const id = c.req.param('id')
    const reason = c.req.query('reason')
    await registry.revoke(id, reason)
    // Revoking an id nothing is recorded under still works: the id may come from tokenId() of a
    // token seen elsewhere (a leak), and verifiers refuse it from now on.
    const entry = await registry.get(id)
    return c.json({
      id,
      revoked: true,
      recorded: entry !== undefined,
      ...(entry ? { entry: entryJson(entry) } : {}),
    })
  })
  context.methods('/tokens/:id', ['GET', 'DELETE'])

  app.post('/revocations', admin, async (c) => {
    const body = await jsonBody(c, options.bodyLimit)
    const filter: Record<string, unknown> = {}
    for (const key of Object.keys(body)) {
      if (!REVOCATION_FIELDS.has(key))
        invalid(
          `${JSON.stringify(key.slice(0, 64))}: not a field (userId, uid, channelName, issuedBefore, reason)`,
        )
    }
    const { userId, uid, channelName, issuedBefore, reason } = body
    if (userId === undefined && uid === undefined && channelName === undefined) {
      throw new InvalidArgument('name at least one of userId, uid, channelName')
    }
    if (userId !== undefined) filter.userId = userId
    if (uid !== undefined) filter.uid = uid
    if (channelName !== undefined) filter.channelName = channelName
    filter.issuedBefore =
      issuedBefore === undefined ? new Date(options.now()) : time(issuedBefore, 'issuedBefore')
    const result = await registry.revoke(filter as TokenFilter, reason as string | undefined)
    return c.json({
      revoked: result.revoked,
      ...(result.cutoff
        ? {
            cutoff: {
              scope: result.cutoff.scope,
              issuedBefore: result.cutoff.issuedBefore.toISOString(),
            },
          }
        : {}),
    })
  })
  context.methods('/revocations', ['POST'])
}
