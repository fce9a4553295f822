// The options of createTokenServer and the one place they are checked: everything downstream
// works on the resolved, validated form.
import { type Duration, InvalidArgument, parseDuration } from '../index.js'
import type { Identity, IdentityInput } from './identity.js'
import { createMemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js'
import type { TokenRequest } from './token-request.js'

/**
 * Verification of the app's own session JWTs (Auth0, Clerk, Supabase, Firebase…): give the
 * provider's JWKS address, or the shared secret of an HMAC-signed JWT.
 *
 * @example
 * ```ts
 * { jwksUrl: 'https://example.eu.auth0.com/.well-known/jwks.json', issuer: 'https://example.eu.auth0.com/', audience: 'my-api' }
 * ```
 */
export interface JwtOptions {
  /** The JSON Web Key Set of the issuer (https, or http on a loopback host). */
  jwksUrl?: string | URL
  /** The HMAC secret (HS256/384/512), as text or bytes; at least 32 bytes. */
  secret?: string | Uint8Array
  /** The required `iss` claim (one of these, when a list). */
  issuer?: string | readonly string[]
  /** The required `aud` claim (one of these, when a list). */
  audience?: string | readonly string[]
  /** Accepted `alg` values. Default: HS256/384/512 with a secret, the keys' own with a JWKS. */
  algorithms?: readonly string[]
  /** Tolerated clock skew for `exp` / `nbf`, as a duration. Default `'30s'`. */
  clockTolerance?: Duration
}

/**
 * Per-caller request limits.
 *
 * @example
 * ```ts
 * { limit: 100, window: '1m', callers: 'all' }
 * ```
 */
export interface RateLimitOptions {
  /** Requests allowed per caller per window. */
  limit: number
  /** The window. Default `'1m'`. */
  window?: Duration
  /**
   * Which callers are limited: `'end-users'` (every caller but API-key callers, which are
   * trusted backends) or `'all'`. Default `'end-users'`.
   */
  callers?: 'end-users' | 'all'
  /** Where requests are counted. Default: in this process's memory. */
  store?: RateLimitStore
}

/** What `onIssue` receives for every issued token: no token text and no certificate. */
export interface IssueEvent {
  /** The kind of token. */
  type: TokenRequest['type']
  /** The app id the token is for. */
  appId: string
  channelName?: string
  uid?: number | string
  userId?: string | number
  rtmUserId?: string | number
  /** Who asked for it. */
  identity: Pick<Identity, 'id' | 'kind'>
  /** The route that issued it (`/token`, `/rtc/…`, `/getToken`…). */
  route: string
  /** ISO 8601. */
  issuedAt: string
  /** ISO 8601. */
  expiresAt: string
  /** Whether the requested lifetime was cut to `maxExpiresIn`. */
  clamped: boolean
}

/**
 * Options of `createTokenServer`.
 *
 * @example
 * ```ts
 * createTokenServer({
 *   appId: env.AGORA_APP_ID,
 *   appCertificate: env.AGORA_APP_CERTIFICATE,
 *   jwt: { jwksUrl: 'https://example.eu.auth0.com/.well-known/jwks.json', audience: 'my-api' },
 *   cors: { origins: ['https://app.example.com'] },
 * })
 * ```
 */
export interface TokenServerOptions {
  /** The app id: 32 hexadecimal characters. */
  appId: string
  /** The app certificate: 32 hexadecimal characters. Never in a response, log line or error. */
  appCertificate: string
  /**
   * Custom caller authentication: resolve to an identity, or `null` to refuse with 401. Cannot
   * be combined with `apiKeys` / `jwt`.
   */
  authenticate?: (request: Request) => Promise<IdentityInput | null> | IdentityInput | null
  /**
   * API keys accepted as `Authorization: Bearer <key>` (several, for rotation). Each at least 16
   * characters of `A-Z a-z 0-9 . _ ~ + / -`.
   */
  apiKeys?: readonly string[]
  /** Accept the app's own session JWTs as `Authorization: Bearer <jwt>`. */
  jwt?: JwtOptions
  /** Serve callers without credentials (only for local development). Default `false`. */
  allowAnonymous?: boolean
  /**
   * Decides whether this caller may get this token (e.g. only hosts publish). Without it, a
   * caller with a subject (a JWT user) gets tokens for its own uid / user id only.
   */
  authorize?: (
    identity: Identity,
    request: TokenRequest,
    httpRequest: Request,
  ) => boolean | Promise<boolean>
  /** Browser origins allowed to call the server. No `*` unless written out. Default: none. */
  cors?: { origins: readonly string[]; maxAge?: number }
  /** The longest lifetime issued; longer requests are cut to it. Default `'24h'`. */
  maxExpiresIn?: Duration
  /** The lifetime when a request names none. Default `'1h'`. */
  defaultExpiresIn?: Duration
  /** The largest request body in bytes. Default 16 KiB. */
  bodyLimit?: number
  /**
   * Per-caller limits: an object, a string such as `'100/min'` (one limit for every caller), or
   * `false` / `0` for none. Default: 120 requests per minute per end user (API-key callers are
   * not limited).
   */
  rateLimit?: false | 0 | string | RateLimitOptions
  /** Called for every issued token, for access logs and metrics; awaited before the response. */
  onIssue?: (event: IssueEvent) => void | Promise<void>
  /** The clock, in Unix milliseconds. Default `Date.now`. */
  now?: () => number
}

/** The rate limit as the server applies it. */
export interface ResolvedRateLimit {
  limit: number
  windowMs: number
  callers: 'end-users' | 'all'
  store: RateLimitStore
}

/** The bearer-token methods, ready to use. */
export interface ResolvedJwt {
  jwksUrl?: URL
  secret?: Uint8Array
  issuer?: string[]
  audience?: string[]
  algorithms?: string[]
  clockToleranceSeconds: number
}

/** {@link TokenServerOptions} after validation, with every default applied. */
export interface ResolvedOptions {
  appId: string
  appCertificate: string
  authenticate?: TokenServerOptions['authenticate']
  apiKeys: string[]
  jwt?: ResolvedJwt
  allowAnonymous: boolean
  authorize?: TokenServerOptions['authorize']
  cors?: { origins: string[]; maxAge: number }
  maxExpiresIn: number
  defaultExpiresIn: number
  bodyLimit: number
  rateLimit?: ResolvedRateLimit
  onIssue?: TokenServerOptions['onIssue']
  now: () => number
}

const HEX32 = /^[0-9a-fA-F]{32}$/
const API_KEY = /^[A-Za-z0-9._~+/-]{16,512}$/
const RATE = /^\s*(\d+)\s*\/\s*([a-z0-9]+)\s*$/i
const RATE_UNITS: Readonly<Record<string, string>> = {
  s: '1s',
  sec: '1s',
  second: '1s',
  m: '1m',
  min: '1m',
  minute: '1m',
  h: '1h',
  hr: '1h',
  hour: '1h',
  d: '1d',
  day: '1d',
}
const KNOWN = new Set([
  'appId',
  'appCertificate',
  'authenticate',
  'apiKeys',
  'jwt',
  'allowAnonymous',
  'authorize',
  'cors',
  'maxExpiresIn',
  'defaultExpiresIn',
  'bodyLimit',
  'rateLimit',
  'onIssue',
  'now',
])

function bad(path: string, expected: string): never {
  throw new InvalidArgument(`createTokenServer: ${path}: expected ${expected}`)
}

function fn<T>(value: T, path: string): T {
  if (value !== undefined && typeof value !== 'function') bad(path, 'a function')
  return value
}

function stringList(value: unknown, path: string): string[] | undefined {
  if (value === undefined) return undefined
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || v === '')) {
    bad(path, 'a non-empty string or a list of them')
  }
  return [...list]
}

function seconds(value: Duration, path: string): number {
  const s = parseDuration(value, `createTokenServer: ${path}`)
  if (s === 0) bad(path, 'a lifetime longer than 0 seconds')
  return s
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host)
}

function resolveJwt(jwt: JwtOptions): ResolvedJwt {
  if (typeof jwt !== 'object' || jwt === null) bad('jwt', 'an object with jwksUrl or secret')
  if ((jwt.jwksUrl === undefined) === (jwt.secret === undefined)) {
    bad('jwt', 'exactly one of jwksUrl and secret')
  }
  const resolved: ResolvedJwt = {
    issuer: stringList(jwt.issuer, 'jwt.issuer'),
    audience: stringList(jwt.audience, 'jwt.audience'),
    algorithms: stringList(jwt.algorithms, 'jwt.algorithms'),
    clockToleranceSeconds: parseDuration(jwt.clockTolerance ?? '30s', 'jwt.clockTolerance'),
  }
  if (jwt.jwksUrl !== undefined) {
    let url: URL
    try {
      url = new URL(String(jwt.jwksUrl))
    } catch {
      bad('jwt.jwksUrl', 'an absolute URL')
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
      bad('jwt.jwksUrl', 'an https URL (plain http only on a loopback host)')
    }
    resolved.jwksUrl = url
  } else {
    const secret =
      typeof jwt.secret === 'string' ? new TextEncoder().encode(jwt.secret) : jwt.secret
    if (!(secret instanceof Uint8Array) || secret.length < 32) {
      bad('jwt.secret', 'a string or Uint8Array of at least 32 bytes')
    }
    resolved.secret = secret
  }
  return resolved
}

/** Parses `'100/min'`, `'10/s'`, `'1000/1h'`: one limit for every caller. */
export function parseRateLimit(text: string, path = 'rateLimit'): RateLimitOptions | undefined {
  if (text.trim() === '0') return undefined
  const match = RATE.exec(text)
  if (match === null) bad(path, "'<count>/<unit>' such as '100/min', or '0' for no limit")
  const limit = Number(match[1])
  const window = RATE_UNITS[match[2].toLowerCase()] ?? match[2]
  if (limit === 0) return undefined
  return { limit, window, callers: 'all' }
}

function resolveRateLimit(value: TokenServerOptions['rateLimit']): ResolvedRateLimit | undefined {
  if (value === false || value === 0) return undefined
  const options: RateLimitOptions | undefined =
    value === undefined
      ? { limit: 120, window: '1m', callers: 'end-users' }
      : typeof value === 'string'
        ? parseRateLimit(value)
        : value
  if (options === undefined) return undefined
  if (typeof options !== 'object' || options === null) {
    bad('rateLimit', "an object, a string such as '100/min', or false")
  }
  const { limit, callers = 'end-users', store } = options
  if (!Number.isSafeInteger(limit) || limit < 1) bad('rateLimit.limit', 'a positive integer')
  if (callers !== 'end-users' && callers !== 'all') bad('rateLimit.callers', "'end-users' or 'all'")
  if (store !== undefined && typeof store?.hit !== 'function') {
    bad('rateLimit.store', 'an object with a hit(key, windowMs, now) method')
  }
  const windowMs = seconds(options.window ?? '1m', 'rateLimit.window') * 1000
  return { limit, windowMs, callers, store: store ?? createMemoryRateLimitStore() }
}

/**
 * Checks every option once and applies the defaults. Messages name the option and never repeat
 * a secret's value.
 *
 * @throws {InvalidArgument} `ERR_INVALID_ARGUMENT` on a bad option, or when no caller
 * authentication is configured and `allowAnonymous` is not `true`
 */
export function resolveOptions(options: TokenServerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) bad('options', 'an object')
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) bad(key, `one of the known options (${[...KNOWN].join(', ')})`)
  }
  const { appId, appCertificate } = options
  if (typeof appId !== 'string' || !HEX32.test(appId)) bad('appId', '32 hexadecimal characters')
  if (typeof appCertificate !== 'string' || !HEX32.test(appCertificate)) {
    bad('appCertificate', '32 hexadecimal characters (the value is not shown)')
  }
  const authenticate = fn(options.authenticate, 'authenticate')
  let apiKeys: string[] = []
  if (options.apiKeys !== undefined) {
    if (!Array.isArray(options.apiKeys) || options.apiKeys.length === 0) {
      bad('apiKeys', 'a non-empty list of keys')
    }
    options.apiKeys.forEach((key, i) => {
      if (typeof key !== 'string' || !API_KEY.test(key)) {
        bad(
          `apiKeys[${i}]`,
          '16..512 characters of A-Z a-z 0-9 . _ ~ + / - (the value is not shown)',
        )
      }
    })
    apiKeys = [...options.apiKeys]
  }
  const jwt = options.jwt === undefined ? undefined : resolveJwt(options.jwt)
  const allowAnonymous = options.allowAnonymous ?? false
  if (typeof allowAnonymous !== 'boolean') bad('allowAnonymous', 'a boolean')
  if (authenticate !== undefined && (apiKeys.length > 0 || jwt !== undefined)) {
    bad('authenticate', 'either authenticate or the built-in apiKeys / jwt, not both')
  }
  if (authenticate === undefined && apiKeys.length === 0 && jwt === undefined && !allowAnonymous) {
    throw new InvalidArgument(
      'createTokenServer: no caller authentication: give apiKeys, jwt or authenticate ' +
        '(or allowAnonymous: true, for local development only)',
    )
  }
  let cors: ResolvedOptions['cors']
  if (options.cors !== undefined) {
    const origins = stringList(options.cors?.origins, 'cors.origins')
    if (origins === undefined || origins.length === 0) bad('cors.origins', 'a list of origins')
    for (const origin of origins) {
      if (origin !== '*' && !/^https?:\/\/[^/?#\s]+$/i.test(origin)) {
        bad('cors.origins', `origins such as 'https://app.example.com' or '*', got '${origin}'`)
      }
    }
    const maxAge = options.cors.maxAge ?? 600
    if (!Number.isSafeInteger(maxAge) || maxAge < 0) bad('cors.maxAge', 'seconds, an integer ≥ 0')
    cors = { origins, maxAge }
  }
  const maxExpiresIn = seconds(options.maxExpiresIn ?? '24h', 'maxExpiresIn')
  const defaultExpiresIn = seconds(options.defaultExpiresIn ?? '1h', 'defaultExpiresIn')
  if (defaultExpiresIn > maxExpiresIn) bad('defaultExpiresIn', 'at most maxExpiresIn')
  const bodyLimit = options.bodyLimit ?? 16 * 1024
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 64) bad('bodyLimit', 'bytes, at least 64')
  return {
    appId,
    appCertificate,
    authenticate,
    apiKeys,
    jwt,
    allowAnonymous,
    authorize: fn(options.authorize, 'authorize'),
    cors,
    maxExpiresIn,
    defaultExpiresIn,
    bodyLimit,
    rateLimit: resolveRateLimit(options.rateLimit),
    onIssue: fn(options.onIssue, 'onIssue'),
    now: fn(options.now, 'now') ?? Date.now,
  }
}
