// The routes of AgoraIO-Community/agora-token-service, so that its clients can switch servers
// unchanged: the same paths, parameters and response fields (rtcToken, rtmToken, chatToken),
// behind this server's authentication, policy and lifetime limits.
import type { Context } from 'hono'
import type { RouteContext, ServerApp } from '../route-context.js'
import type { ServerEnv } from '../auth.js'
import { HttpError } from '../errors.js'
import { issueToken } from '../issue.js'
import { authorizeRequest } from '../policy.js'
import type { TokenRequest } from '../token-request.js'
import { jsonBody } from './token.js'

const FIELD: Readonly<Record<'rtc' | 'rtm' | 'chat', string>> = {
  rtc: 'rtcToken',
  rtm: 'rtmToken',
  chat: 'chatToken',
}
const DECIMAL_UID = /^\d{1,10}$/
const U32_MAX = 0xffff_ffff

function invalid(message: string): never {
  throw new HttpError(400, 'ERR_INVALID_ARGUMENT', message)
}

function role(value: unknown): 'publisher' | 'subscriber' {
  if (value === undefined || value === '' || value === 'subscriber') return 'subscriber'
  if (value === 'publisher') return 'publisher'
  return invalid(`role: expected 'publisher' or 'subscriber'`)
}

/** The `expiry` (or `expireTime`) query parameter: whole seconds; absent means the default. */
function expiry(c: Context<ServerEnv>): number | undefined {
  const text = c.req.query('expiry') ?? c.req.query('expireTime')
  if (text === undefined || text === '') return undefined
  if (!/^\d{1,10}$/.test(text) || Number(text) > U32_MAX) {
    invalid('expiry: expected whole seconds, e.g. 3600')
  }
  return Number(text) === 0 ? undefined : Number(text)
}

function numericUid(text: string): number {
  if (!DECIMAL_UID.test(text) || Number(text) > U32_MAX) {
    invalid('uid: with tokenType uid, expected an integer 0..4294967295')
  }
  return Number(text)
}

/** Issues a token for a compat route and answers `{ <type>Token: token }`. */
async function answer(
  context: RouteContext,
  c: Context<ServerEnv>,
  request: TokenRequest,
  route: string,
): Promise<Response> {
  const identity = c.get('identity')
  const allowed = await authorizeRequest(context.options, identity, request, c.req.raw, false)
  const issued = await issueToken(context.options, identity, allowed, route)
  return c.json({ [FIELD[request.type as keyof typeof FIELD]]: issued.token })
}

function withExpiry(request: TokenRequest, expiresIn: number | undefined): TokenRequest {
  return expiresIn === undefined ? request : { ...request, expiresIn }
}

/** Registers the agora-token-service routes. */
export function registerCompatRoutes(app: ServerApp, context: RouteContext): void {
  const rtc = '/rtc/:channelName/:role/:tokenType/:uid'
  app.get(rtc, context.guard, (c) => {
    const { channelName, tokenType, uid } = c.req.param()
    if (tokenType !== 'uid' && tokenType !== 'userAccount') {
      invalid(`tokenType: expected 'uid' or 'userAccount'`)
    }
    const request: TokenRequest = {
      type: 'rtc',
      channelName,
      uid: tokenType === 'uid' ? numericUid(uid) : uid,
      role: role(c.req.param('role')),
    }
    return answer(context, c, withExpiry(request, expiry(c)), '/rtc')
  })
  app.get('/rtm/:uid', context.guard, (c) => {
    const request: TokenRequest = { type: 'rtm', userId: c.req.param('uid') }
    return answer(context, c, withExpiry(request, expiry(c)), '/rtm')
  })
  app.get('/chat/app', context.guard, (c) =>
    answer(context, c, withExpiry({ type: 'chat' }, expiry(c)), '/chat/app'),
  )
  app.get('/chat/account/:uid', context.guard, (c) => {
    const request: TokenRequest = { type: 'chat', userId: c.req.param('uid') }
    return answer(context, c, withExpiry(request, expiry(c)), '/chat/account')
  })
  app.post('/getToken', context.guard, async (c) => {
    const body = await jsonBody(c, context.options.bodyLimit)
    const { tokenType, channel, uid, expire } = body
    if (tokenType !== 'rtc' && tokenType !== 'rtm' && tokenType !== 'chat') {
      invalid(`tokenType: expected 'rtc', 'rtm' or 'chat'`)
    }
    if (channel !== undefined && typeof channel !== 'string') invalid('channel: expected a string')
    if (uid !== undefined && typeof uid !== 'string') invalid('uid: expected a string')
    if (expire !== undefined && !(Number.isInteger(expire) && (expire as number) >= 0)) {
      invalid('expire: expected whole seconds, e.g. 3600')
    }
    const expiresIn = expire === 0 ? undefined : (expire as number | undefined)
    const account = uid === '' ? undefined : (uid as string | undefined)
    let request: TokenRequest
    if (tokenType === 'rtc') {
      // As there: a decimal uid is an integer uid, anything else a user account.
      const id = account !== undefined && DECIMAL_UID.test(account) ? numericUid(account) : account
      request = { type: 'rtc', channelName: channel as string, uid: id, role: role(body.role) }
    } else {
      request = { type: tokenType, userId: account }
    }
    return answer(context, c, withExpiry(request, expiresIn), '/getToken')
  })
  context.methods(rtc, ['GET'], false)
  context.methods('/rtm/:uid', ['GET'], false)
  context.methods('/chat/app', ['GET'], false)
  context.methods('/chat/account/:uid', ['GET'], false)
  context.methods('/getToken', ['POST'])
}
