// Assembles the Hono app: common headers, CORS, the open routes, then the guarded routes (auth,
// rate limit, body limit) and the JSON answers for everything that is not found or fails.
import { Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import { TokenError } from '../index.js'
import { authentication, type ServerEnv } from './auth.js'
import { errorResponse, HttpError } from './errors.js'
import type { ResolvedOptions } from './options.js'
import type { RouteContext, ServerApp } from './route-context.js'
import { rateLimiting } from './rate-limit.js'
import { registerCompatRoutes } from './routes/compat.js'
import { registerHealthRoutes } from './routes/health.js'
import { registerTokenRoutes } from './routes/token.js'

function noStore(): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    await next()
    c.res.headers.set('Cache-Control', 'no-store')
    c.res.headers.set('X-Content-Type-Options', 'nosniff')
  }
}

/**
 * The body limit. A declared Content-Length is checked from the header alone (the HTTP server has
 * already enforced it), so Node's adapter can later read the body without building a full
 * `Request`; a streamed body goes through Hono's body-limit middleware, which counts the bytes.
 */
function bodyLimiting(maxSize: number, tooLarge: HttpError): MiddlewareHandler<ServerEnv> {
  const streamed = bodyLimit({
    maxSize,
    onError: () => {
      throw tooLarge
    },
  })
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const length = c.req.header('Content-Length')
    if (length === undefined || c.req.header('Transfer-Encoding') !== undefined) {
      return streamed(c, next)
    }
    if (!/^\d{1,15}$/.test(length) || Number(length) > maxSize) throw tooLarge
    return next()
  }
}

/** Guarded routes issue tokens: a HEAD would build one and throw it away. */
const refuseHead: MiddlewareHandler<ServerEnv> = async (c, next) => {
  if (c.req.method === 'HEAD') {
    throw new HttpError(405, 'ERR_METHOD_NOT_ALLOWED', 'HEAD is not allowed here; use GET', {
      Allow: 'GET',
    })
  }
  return next()
}

/** Runs middleware in order as one; a middleware that answers stops the chain. */
export function chain(...steps: MiddlewareHandler<ServerEnv>[]): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const run = async (i: number): Promise<void> => {
      if (i === steps.length) return next()
      const answer = await steps[i](c, () => run(i + 1))
      if (answer instanceof Response) c.res = answer
    }
    await run(0)
  }
}

function toResponse(err: unknown): Response {
  if (err instanceof HttpError) return errorResponse(err)
  if (err instanceof HTTPException) return err.getResponse()
  if (err instanceof TokenError && err.code === 'ERR_INVALID_ARGUMENT') {
    return errorResponse(new HttpError(400, err.code, err.message))
  }
  // Anything else is a bug or a failing dependency: say nothing about it to the caller.
  return errorResponse(new HttpError(500, 'ERR_INTERNAL', 'internal error'))
}

/** Builds the app for validated options. */
export function createApp(options: ResolvedOptions): ServerApp {
  const app: ServerApp = new Hono<ServerEnv>()
  app.use('*', noStore())
  if (options.cors) {
    app.use(
      '*',
      cors({
        origin: options.cors.origins.includes('*') ? '*' : options.cors.origins,
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type'],
        exposeHeaders: ['Retry-After', 'WWW-Authenticate'],
        maxAge: options.cors.maxAge,
      }),
    )
  }
  const tooLarge = new HttpError(
    413,
    'ERR_BODY_TOO_LARGE',
    `the body is larger than ${options.bodyLimit} bytes`,
  )
  const context: RouteContext = {
    options,
    guard: chain(
      refuseHead,
      authentication(options),
      rateLimiting(options.rateLimit, options.now),
      bodyLimiting(options.bodyLimit, tooLarge),
    ),
    methods(path, allowed, head = true) {
      const allow = [...allowed, ...(head && allowed.includes('GET') ? ['HEAD'] : [])].join(', ')
      app.all(path, (c) => {
        throw new HttpError(
          405,
          'ERR_METHOD_NOT_ALLOWED',
          `${c.req.method} is not allowed here; use ${allow}`,
          {
            Allow: allow,
          },
        )
      })
    },
  }
  registerHealthRoutes(app, context)
  registerTokenRoutes(app, context)
  registerCompatRoutes(app, context)
  app.notFound(() => errorResponse(new HttpError(404, 'ERR_NOT_FOUND', 'no such route')))
  app.onError((err) => toResponse(err))
  return app
}
