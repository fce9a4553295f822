// What a route module receives from the app that registers it.
import type { Hono, MiddlewareHandler } from 'hono'
import type { ServerEnv } from './auth.js'
import type { ResolvedOptions } from './options.js'

/** The server's Hono app type. */
export type ServerApp = Hono<ServerEnv>

/** What route modules get: the resolved options and the middleware that guards a route. */
export interface RouteContext {
  options: ResolvedOptions
  /** Authentication, then the rate limit, then the body limit, as one middleware. */
  guard: MiddlewareHandler<ServerEnv>
  /**
   * Answers 405 with `Allow` for `path` on every method it does not serve. A GET route also
   * serves HEAD unless `head` is false (a route that issues a token would mint one for nobody).
   */
  methods(path: string, allowed: readonly string[], head?: boolean): void
}
