// The token server on Bun.serve, on a free loopback port; prints "LISTENING <port> <version>".
import { createTokenServer } from 'token007/server'
import { serverOptions } from './config.mjs'

const server = createTokenServer(serverOptions())
const listening = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: server.fetch })
console.log(`LISTENING ${listening.port} ${Bun.version}`)
