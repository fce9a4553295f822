// Liveness routes, open to everyone: GET /healthz for orchestrators, GET /ping as
// agora-token-service answers it.
import type { RouteContext, ServerApp } from '../route-context.js'

/** Registers GET /healthz and GET /ping. */
export function registerHealthRoutes(app: ServerApp, context: RouteContext): void {
  app.get('/healthz', (c) => c.json({ ok: true }))
  app.get('/ping', (c) => c.text('pong'))
  context.methods('/healthz', ['GET'])
  context.methods('/ping', ['GET'])
}
