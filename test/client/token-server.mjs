// A token server for the keeper's real-timer suite: node:http on 127.0.0.1, answering
// `POST /token` like token007's server ({ token, ... }) with tokens from the rtcToken it is
// given (the sources in vitest, the built package in the browser run). It can go down for real
// (the listener closes and open connections drop, so requests are refused) and come back on the
// same port.
import { spawn } from 'node:child_process'
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
 * @returns {Promise<{ tokenUrl: string, headers: Record<string, string>, requests: number,
 *   down(): Promise<void>, up(): Promise<void>, close(): Promise<void> }>}
 */
export async function startTokenService({ rtcToken, allowOrigin }) {
  let server
  let port = 0
  const service = {
    tokenUrl: '',
    headers: {},
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

/**
 * Runs the real `token007 serve` (dist/cli.js) on a loopback port with a fresh API key; `down()`
 * stops the process (SIGTERM, so requests are refused) and `up()` starts it again on the same
 * port. `requests` counts the tokens it issued (its access log's issue events).
 * @param {{ cli: string, allowOrigin?: string }} options
 */
export async function startServeProcess({ cli, allowOrigin }) {
  const apiKey = `keeper-test-${crypto.randomUUID()}`
  const env = {
    PATH: process.env.PATH,
    AGORA_APP_ID: APP_ID,
    AGORA_APP_CERTIFICATE: APP_CERTIFICATE,
    TOKEN007_API_KEYS: apiKey,
    ...(allowOrigin ? { TOKEN007_CORS_ORIGINS: allowOrigin } : {}),
  }
  let child
  let exited
  let port = 0
  const service = {
    tokenUrl: '',
    headers: { authorization: `Bearer ${apiKey}` },
    requests: 0,
    down: () => stop(),
    up: () => start(),
    close: () => stop(),
  }

  function start() {
    child = spawn(process.execPath, [cli, 'serve', '--host', '127.0.0.1', '--port', String(port)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    exited = new Promise((resolve) => child.once('close', resolve))
    let buffered = ''
    let errors = ''
    child.stderr.on('data', (d) => (errors += d))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`token007 serve did not start: ${errors}`)),
        20_000,
      )
      child.stdout.on('data', (chunk) => {
        buffered += chunk
        const lines = buffered.split('\n')
        buffered = lines.pop()
        for (const line of lines) {
          if (line.includes('"event":"issue"')) service.requests++
          if (line.includes('"event":"listening"')) {
            const url = JSON.parse(line).url
            port = Number(new URL(url).port)
            service.tokenUrl = `${url}/token`
            clearTimeout(timer)
            resolve()
          }
        }
      })
      exited.then((code) => {
        clearTimeout(timer)
        reject(new Error(`token007 serve exited with ${code}: ${errors}`))
      })
    })
  }

  async function stop() {
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    await exited
  }

  await start()
  return service
}
