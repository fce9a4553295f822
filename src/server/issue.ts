// Builds the token a request asked for, within the server's lifetime limits, and reports it to
// onIssue. Request → policy → here → response; nothing here reads HTTP.
import {
  agentToken,
  apaasToken,
  chatToken,
  fpaToken,
  rtcToken,
  rtmToken,
  type TokenSource,
} from '../index.js'
import type { Identity } from './identity.js'
import type { IssueEvent, ResolvedOptions } from './options.js'
import type { TokenRequest } from './token-request.js'

/** A built token and what the response says about it. */
export interface IssuedToken {
  token: string
  request: TokenRequest
  /** Unix seconds. */
  issuedAt: number
  /** Unix seconds. */
  expiresAt: number
  clamped: boolean
}

const SALT_RANGE = 99_999_999
// The largest multiple of the range below 2^32: draws at or above it are redrawn (no modulo bias).
const SALT_LIMIT = Math.floor(0x1_0000_0000 / SALT_RANGE) * SALT_RANGE

// Random words are drawn from crypto.getRandomValues 256 at a time: one call per 256 tokens
// instead of one per token, which shows in a busy server's profile.
const pool = new Uint32Array(256)
let next = pool.length

function randomWord(): number {
  if (next === pool.length) {
    crypto.getRandomValues(pool)
    next = 0
  }
  const word = pool[next]
  pool[next++] = 0
  return word
}

/** A salt in 1..99,999,999 from crypto.getRandomValues, as the references draw it. */
function randomSalt(): number {
  for (;;) {
    const word = randomWord()
    if (word < SALT_LIMIT) return (word % SALT_RANGE) + 1
  }
}

function build(o: ResolvedOptions, r: TokenRequest, expire: number, source: TokenSource): string {
  const common = { appId: o.appId, appCertificate: o.appCertificate, expiresIn: expire, source }
  const privilegeExpiresIn = r.privilegeExpiresIn
  switch (r.type) {
    case 'rtc':
      return rtcToken({
        ...common,
        channelName: r.channelName as string,
        uid: r.uid as number | string,
        role: r.role ?? 'subscriber',
        privilegeExpiresIn,
        rtmUserId: r.rtmUserId,
      })
    case 'convoai':
    case 'stt':
      return agentToken({
        ...common,
        kind: r.type,
        channelName: r.channelName as string,
        uid: r.uid as number | string,
        role: r.role ?? 'subscriber',
        privilegeExpiresIn,
        rtmUserId: r.rtmUserId as string | number,
      })
    case 'rtm':
      return rtmToken({ ...common, userId: r.userId as string | number })
    case 'chat':
      return chatToken({ ...common, userId: r.userId })
    case 'apaas':
      return apaasToken({ ...common, userUuid: r.userId })
    case 'fpa':
      return fpaToken(common)
  }
}

/**
 * Builds the token for an authorized request: the lifetime is the request's (or
 * `defaultExpiresIn`), cut to `maxExpiresIn`; privilege lifetimes likewise. Invalid values
 * surface as the builders' `InvalidArgument`.
 */
export async function issueToken(
  options: ResolvedOptions,
  identity: Identity,
  request: TokenRequest,
  route: string,
): Promise<IssuedToken> {
  const max = options.maxExpiresIn
  const asked = request.expiresIn ?? options.defaultExpiresIn
  const expire = Math.min(asked, max)
  let clamped = asked > max
  let r = request
  if (request.privilegeExpiresIn !== undefined && request.privilegeExpiresIn > max) {
    r = { ...request, privilegeExpiresIn: max }
    clamped = true
  }
  const nowMs = options.now()
  const token = build(options, r, expire, { now: () => nowMs, salt: randomSalt })
  const issuedAt = Math.floor(nowMs / 1000)
  const issued: IssuedToken = { token, request: r, issuedAt, expiresAt: issuedAt + expire, clamped }
  if (options.onIssue !== undefined)
    await options.onIssue(issueEvent(options, identity, issued, route))
  return issued
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}

function issueEvent(
  options: ResolvedOptions,
  identity: Identity,
  issued: IssuedToken,
  route: string,
): IssueEvent {
  const { type, channelName, uid, userId, rtmUserId } = issued.request
  const event: IssueEvent = {
    type,
    appId: options.appId,
    identity: { id: identity.id, kind: identity.kind },
    route,
    issuedAt: iso(issued.issuedAt),
    expiresAt: iso(issued.expiresAt),
    clamped: issued.clamped,
  }
  if (channelName !== undefined) event.channelName = channelName
  if (uid !== undefined) event.uid = uid
  if (userId !== undefined) event.userId = userId
  if (rtmUserId !== undefined) event.rtmUserId = rtmUserId
  return event
}

/** The JSON body of POST /token for an issued token (ISO times). */
export function tokenResponse(options: ResolvedOptions, issued: IssuedToken) {
  const { type, channelName, uid, userId } = issued.request
  return {
    token: issued.token,
    type,
    appId: options.appId,
    ...(channelName === undefined ? {} : { channelName }),
    ...(uid === undefined ? {} : { uid }),
    ...(userId === undefined ? {} : { userId }),
    issuedAt: iso(issued.issuedAt),
    expiresAt: iso(issued.expiresAt),
    clamped: issued.clamped,
  }
}
