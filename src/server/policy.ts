// Who may get which token: callers acting for an end user (a JWT subject) get tokens for that
// user only, unless the app's authorize callback decides; then authorize has the last word.
import { HttpError } from './errors.js'
import type { Identity } from './identity.js'
import type { ResolvedOptions } from './options.js'
import type { TokenRequest } from './token-request.js'

const USER_FIELDS = ['uid', 'userId', 'rtmUserId'] as const

function forbidden(message: string): never {
  throw new HttpError(403, 'ERR_FORBIDDEN', message)
}

/** Fills the user fields a request left out with the caller's subject. */
export function withSubject(request: TokenRequest, subject: string | undefined): TokenRequest {
  if (subject === undefined) return request
  const filled = { ...request }
  switch (request.type) {
    case 'rtc':
      filled.uid ??= subject
      break
    case 'convoai':
    case 'stt':
      filled.uid ??= subject
      filled.rtmUserId ??= subject
      break
    case 'rtm':
    case 'chat':
    case 'apaas':
      filled.userId ??= subject
      break
    case 'fpa':
      break
  }
  return filled
}

/** The default rule for callers with a subject: every user field is that subject. */
function subjectRule(identity: Identity, request: TokenRequest): void {
  const subject = identity.subject
  if (subject === undefined) return
  const userless =
    request.type === 'fpa' ||
    ((request.type === 'chat' || request.type === 'apaas') && request.userId === undefined)
  if (userless) {
    forbidden(
      `this ${request.type} token is not tied to a user; this caller may only get tokens for itself`,
    )
  }
  for (const field of USER_FIELDS) {
    const value = request[field]
    if (value !== undefined && String(value) !== subject) {
      forbidden(`${field}: this caller may only get tokens for its own user id (the JWT subject)`)
    }
  }
}

/**
 * Applies the policy to a request and resolves to the request to build (user fields left out
 * are filled in from the subject, unless `fillFromSubject` is false). Throws a 403 {@link HttpError} when the caller may not have it, and a 503
 * when `authorize` fails to run (the server fails closed).
 */
export async function authorizeRequest(
  options: ResolvedOptions,
  identity: Identity,
  request: TokenRequest,
  httpRequest: Request,
  fillFromSubject = true,
): Promise<TokenRequest> {
  // Routes whose path names the user (the agora-token-service ones) are taken as they are.
  const filled = fillFromSubject ? withSubject(request, identity.subject) : request
  if (options.authorize === undefined) {
    subjectRule(identity, filled)
    return filled
  }
  let allowed: boolean
  try {
    allowed = await options.authorize(identity, filled, httpRequest)
  } catch {
    throw new HttpError(503, 'ERR_UNAVAILABLE', 'the authorization check failed to run')
  }
  if (allowed !== true) forbidden(`this caller may not get this ${filled.type} token`)
  return filled
}
