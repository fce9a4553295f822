// A token server for the keeper's real-timer suite: node:http on 127.0.0.1, issuing with our
// rtcToken, answering `POST /token` like token007's server ({ token, ... }). It can go down for
// real (the listener closes and connections drop, so requests are refused) and come back on the
// same port.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { rtcToken } from '../../src/index.js'

export const APP_ID = '970CA35de60c44645bbae8a215061b33'
const APP_CERTIFICATE = '5CFd2fd1755d40ecb72977518be15d3b'

/** A running token server and the switches a test needs. */
export interface TokenService {
  /** The URL of `POST /token`. */
  tokenUrl: string
  /** Tokens issued so far. */
  requests: number
  /** Stops accepting connections (requests are refused) until up(). */
  down(): Promise<void>
  /** Listens again on the same port. */
  up(): Promise<void>
  close(): Promise<void>
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = ''
  for await (const chunk of request) text += chunk
  return JSON.parse(text || '{}')
}

/**
 * Starts the server on a free loopback port. `allowOrigin` (a page's origin) is answered with
 * CORS headers so that a browser page on another port may call it.
 */
export async function startTokenService(allowOrigin?: string): Promise<TokenService> {
  let server: Server
  let port = 0
  const service: TokenService = {
    tokenUrl: '',
    requests: 0,
    down: () => close(),
    up: () => listen(),
    close: () => close(),
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const headers: Record<string, string> = { 'cache-control': 'no-store' }
    if (allowOrigin) {
      headers['access-control-allow-origin'] = allowOrigin
      headers['access-control-allow-headers'] = 'content-type'
      headers.vary = 'Origin'
    }
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...headers, 'access-control-allow-methods': 'POST' }).end()
      return
    }
    if (request.method !== 'POST' || request.url !== '/token') {
      response.writeHead(404, headers).end()
      return
    }
    try {
      const body = await readJson(request)
      const token = rtcToken({
        appId: APP_ID,
        appCertificate: APP_CERTIFICATE,
        channelName: String(body.channelName),
        uid: body.uid as number,
        role: body.role === 'subscriber' ? 'subscriber' : 'publisher',
        expiresIn: body.expiresIn as number,
      })
      service.requests++
      response
        .writeHead(200, { ...headers, 'content-type': 'application/json' })
        .end(JSON.stringify({ token, type: 'rtc' }))
    } catch (error) {
      response
        .writeHead(400, { ...headers, 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'ERR_BAD_REQUEST', message: String(error) } }))
    }
  }

  function listen(): Promise<void> {
    server = createServer((request, response) => {
      handle(request, response).catch(() => response.destroy())
    })
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port
        service.tokenUrl = `http://127.0.0.1:${port}/token`
        resolve()
      })
    })
  }

  function close(): Promise<void> {
    return new Promise((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }

  await listen()
  return service
}
