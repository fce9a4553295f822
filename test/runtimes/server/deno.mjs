// The token server on Deno.serve, on a free loopback port; prints "LISTENING <port> <version>".
import { createTokenServer } from 'token007/server'
import { serverOptions } from './config.mjs'

const server = createTokenServer(serverOptions())
Deno.serve(
  {
    hostname: '127.0.0.1',
    port: 0,
    onListen: ({ port }) => console.log(`LISTENING ${port} ${Deno.version.deno}`),
  },
  server.fetch,
)
