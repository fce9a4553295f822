// What a caller asks for: the body of POST /token read into a checked TokenRequest. Types are
// checked here (a number where a string belongs is a 400 naming the field); the builders' own
// guards check values later.
import { parseDuration } from '../index.js'
import { HttpError } from './errors.js'

/** The kinds of token the server issues. */
export type TokenType = 'rtc' | 'rtm' | 'chat' | 'apaas' | 'fpa' | 'convoai' | 'stt'

/** The token types, in the order error messages list them. */
export const TOKEN_TYPES: readonly TokenType[] = [
  'rtc',
  'rtm',
  'chat',
  'apaas',
  'fpa',
  'convoai',
  'stt',
]

/**
 * A checked request for one token; what `authorize` sees. Lifetimes are in seconds.
 *
 * @example
 * ```ts
 * const request: TokenRequest = { type: 'rtc', channelName: 'room-1', uid: 42, role: 'publisher' }
 * ```
 */
export interface TokenRequest {
  type: TokenType
  channelName?: string
  /** An RTC uid: an integer, or a string user account. */
  uid?: number | string
  /** An RTM / Chat / APaaS user id. */
  userId?: string | number
  /** RTC role. Default `'subscriber'`. */
  role?: 'publisher' | 'subscriber'
  /** Requested token lifetime in seconds (before `maxExpiresIn` applies). */
  expiresIn?: number
  /** Requested privilege lifetime in seconds (before `maxExpiresIn` applies). */
  privilegeExpiresIn?: number
  /** An RTM user to log in with the same RTC token (required for convoai and stt). */
  rtmUserId?: string | number
}

type Field = keyof TokenRequest

const RTC_FIELDS: readonly Field[] = [
  'channelName',
  'uid',
  'role',
  'expiresIn',
  'privilegeExpiresIn',
  'rtmUserId',
]

/** The fields each token type takes besides `type`. */
export const FIELDS_BY_TYPE: Readonly<Record<TokenType, readonly Field[]>> = {
  rtc: RTC_FIELDS,
  convoai: RTC_FIELDS,
  stt: RTC_FIELDS,
  rtm: ['userId', 'expiresIn'],
  chat: ['userId', 'expiresIn'],
  apaas: ['userId', 'expiresIn'],
  fpa: ['expiresIn'],
}

function invalid(message: string): never {
  throw new HttpError(400, 'ERR_INVALID_ARGUMENT', message)
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${JSON.stringify(value)}`
}

function text(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') invalid(`${field}: expected a string, got ${typeName(value)}`)
  return value
}

function textOrInteger(value: unknown, field: string): string | number | undefined {
  if (value === undefined || typeof value === 'string') return value
  if (typeof value === 'number' && Number.isInteger(value)) return value
  return invalid(`${field}: expected a string or an integer, got ${typeName(value)}`)
}

function lifetime(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' && typeof value !== 'string') {
    invalid(`${field}: expected seconds or a duration such as '30m', got ${typeName(value)}`)
  }
  const seconds = parseDuration(value, field)
  if (seconds === 0) invalid(`${field}: 0 makes a token that has expired when it is issued`)
  return seconds
}

/** Parses a request body as JSON; a body that is not a JSON object is a 400. */
export function parseJsonObject(body: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    throw new HttpError(400, 'ERR_INVALID_JSON', 'body: not valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid(`body: expected a JSON object, got ${typeName(value)}`)
  }
  return value as Record<string, unknown>
}

/**
 * Reads a JSON body into a {@link TokenRequest}: known fields of the right types only, so that a
 * typo (`expires_in`) or a field of another token type is refused instead of ignored.
 */
export function readTokenRequest(body: Record<string, unknown>): TokenRequest {
  const type = body.type
  if (typeof type !== 'string' || !TOKEN_TYPES.includes(type as TokenType)) {
    invalid(`type: expected one of ${TOKEN_TYPES.join(', ')}, got ${typeName(type)}`)
  }
  const fields = FIELDS_BY_TYPE[type as TokenType]
  for (const key of Object.keys(body)) {
    if (key !== 'type' && !fields.includes(key as Field)) {
      const shown = JSON.stringify(key.slice(0, 64))
      invalid(`${shown}: not a field of ${type} requests (they take ${fields.join(', ')})`)
    }
  }
  const role = body.role
  if (role !== undefined && role !== 'publisher' && role !== 'subscriber') {
    invalid(`role: expected 'publisher' or 'subscriber', got ${typeName(role)}`)
  }
  const request: TokenRequest = { type: type as TokenType }
  const channelName = text(body.channelName, 'channelName')
  const uid = textOrInteger(body.uid, 'uid')
  const userId = textOrInteger(body.userId, 'userId')
  const rtmUserId = textOrInteger(body.rtmUserId, 'rtmUserId')
  const expiresIn = lifetime(body.expiresIn, 'expiresIn')
  const privilegeExpiresIn = lifetime(body.privilegeExpiresIn, 'privilegeExpiresIn')
  if (channelName !== undefined) request.channelName = channelName
  if (uid !== undefined) request.uid = uid
  if (userId !== undefined) request.userId = userId
  if (role !== undefined) request.role = role
  if (expiresIn !== undefined) request.expiresIn = expiresIn
  if (privilegeExpiresIn !== undefined) request.privilegeExpiresIn = privilegeExpiresIn
  if (rtmUserId !== undefined) request.rtmUserId = rtmUserId
  return request
}
