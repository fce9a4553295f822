// The token server as a Cloudflare Worker: built once from the Worker's bindings (its secrets),
// then every request goes to its fetch handler.
import { createTokenServer } from 'token007/server'
import { serverOptions } from './config.mjs'

let server

export default {
  fetch(request, env) {
    server ??= createTokenServer(serverOptions(env))
    return server.fetch(request)
  },
}
