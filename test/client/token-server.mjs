// A token server for the keeper's real-timer suite: node:http on 127.0.0.1, answering
// `POST /token` like token007's server ({ token, ... }) with tokens from the rtcToken it is
// given (the sources in vitest, the built package in the browser run). It can go down for real
// (the listener closes and open connections drop, so requests are refused) and come back on the
// same port.
import { createServer } from 'node:http'

export const APP_ID = '970CA35de60c44645bbae8a215061b33'
const APP_CERTIFICATE = '5CFd2fd1755d40ecb72977518be15d3b'

async function readJson(request) {
  let text = ''
  for await (const chunk of request) text += chunk
  return JSON.parse(text || '{}')
}

/**
 * Starts the server on a free loopback port. `allowOrigin` (a page's origin) is answered with
 * CORS headers so that a page served from another port may call it.
 * @param {{ rtcToken: Function, allowOrigin?: string }} options
 * @returns {Promise<{ tokenUrl: string, requests: number, down(): Promise<void>,
 *   up(): Promise<void>, close(): Promise<void> }>}
 */
export async function startTokenService({ rtcToken, allowOrigin }) {
  let server
  let port = 0
  const service = {
    tokenUrl: '',
    requests: 0,
    down: () => close(),
    up: () => listen(),
    close: () => close(),
  }

  async function handle(request, response) {
    const headers = { 'cache-control': 'no-store' }
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
        uid: body.uid,
        role: body.role === 'subscriber' ? 'subscriber' : 'publisher',
        expiresIn: body.expiresIn,
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

  function listen() {
    server = createServer((request, response) => {
      handle(request, response).catch(() => response.destroy())
    })
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        port = server.address().port
        service.tokenUrl = `http://127.0.0.1:${port}/token`
        resolve()
      })
    })
  }

  function close() {
    return new Promise((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }

  await listen()
  return service
}
