/**
 * `token007/server`: a token service as one `fetch(request) → Response` handler, for Node (via
 * `token007 serve` or an adapter), Deno, Bun, Workers, or mounted in a Hono app. Callers must
 * authenticate (API keys, the app's own JWTs, or a custom check); tokens are capped in lifetime,
 * callers are rate limited, browsers are allowed by an origin list.
 *
 * @example
 * ```ts
 * import { createTokenServer } from 'token007/server'
 * const server = createTokenServer({ appId, appCertificate, apiKeys: [process.env.TOKEN007_API_KEY!] })
 * Deno.serve(server.fetch)
 * ```
 *
 * @module
 */
import { createApp } from './app.js'
import { resolveOptions, type TokenServerOptions } from './options.js'

export { HttpError, type ErrorBody, type HttpErrorCode } from './errors.js'
export type { Identity, IdentityInput, IdentityKind } from './identity.js'
export {
  parseRateLimit,
  type IssueEvent,
  type JwtOptions,
  type RateLimitOptions,
  type TokenServerOptions,
} from './options.js'
export {
  createMemoryRateLimitStore,
  type MemoryRateLimitStoreOptions,
  type RateLimitHit,
  type RateLimitStore,
} from './rate-limit-store.js'
export { TOKEN_TYPES, type TokenRequest, type TokenType } from './token-request.js'

/**
 * A token server: a Fetch API handler. `fetch` is bound, so it can be passed around alone.
 *
 * @example
 * ```ts
 * Bun.serve({ port: 8080, fetch: server.fetch })
 * ```
 */
export interface TokenServer {
  /** Answers one HTTP request. Never rejects: failures are JSON error responses. */
  fetch(request: Request): Promise<Response>
}

/**
 * Creates a token server. Routes: `POST /token`, the agora-token-service routes (`GET /rtc/…`,
 * `GET /rtm/:uid`, `GET /chat/app`, `GET /chat/account/:uid`, `POST /getToken`), `GET /healthz`
 * and `GET /ping`. See `docs/server.md` for every option, status and header.
 *
 * @example
 * ```ts
 * const server = createTokenServer({
 *   appId: process.env.AGORA_APP_ID!,
 *   appCertificate: process.env.AGORA_APP_CERTIFICATE!,
 *   apiKeys: process.env.TOKEN007_API_KEYS!.split(','),
 *   cors: { origins: ['https://app.example.com'] },
 * })
 * export default server // a Cloudflare Worker
 * ```
 * @throws {InvalidArgument} `ERR_INVALID_ARGUMENT` on a bad option, or without any caller
 * authentication (`apiKeys`, `jwt`, `authenticate`) unless `allowAnonymous: true`
 */
export function createTokenServer(options: TokenServerOptions): TokenServer {
  const app = createApp(resolveOptions(options))
  return { fetch: async (request) => app.fetch(request) }
}
