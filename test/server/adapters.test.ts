// The ways docs/server.md says to run the handler besides `token007 serve`: mounted in a Hono
// app, and on node:http through @hono/node-server's request listener (real loopback HTTP).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { verifyToken } from '../../src/index.js'
import { createTokenServer } from '../../src/server/index.js'
import { APP_ID, CERT, expectError, KEY_1 } from './helpers.js'

const options = { appId: APP_ID, appCertificate: CERT, apiKeys: [KEY_1] }
const tokenRequest = {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY_1}` },
  body: JSON.stringify({ type: 'rtc', channelName: 'mounted', uid: 8 }),
}

describe('adapters', () => {
  it("mounts in a Hono app with app.mount('/agora', server.fetch)", async () => {
    const app = new Hono()
    app.get('/', (c) => c.text('the app'))
    app.mount('/agora', createTokenServer(options).fetch)
    const r = await app.request('/agora/token', tokenRequest)
    expect(r.status).toBe(200)
    verifyToken((await r.json()).token, CERT, {
      require: { service: 'rtc', channelName: 'mounted', uid: 8 },
    })
    expect(await (await app.request('/agora/healthz')).json()).toEqual({ ok: true })
    expect(await (await app.request('/')).text()).toBe('the app')
    await expectError(await app.request('/agora/nope'), 404, 'ERR_NOT_FOUND')
  })

  it('serves on node:http through getRequestListener', async () => {
    const server = createServer(getRequestListener(createTokenServer(options).fetch))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      const r = await fetch(`http://127.0.0.1:${port}/token`, tokenRequest)
      expect(r.status).toBe(200)
      expect(r.headers.get('cache-control')).toBe('no-store')
      verifyToken((await r.json()).token, CERT)
      await expectError(
        await fetch(`http://127.0.0.1:${port}/token`, { method: 'POST' }),
        401,
        'ERR_UNAUTHENTICATED',
      )
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('an onIssue that throws fails the request (500) instead of issuing unrecorded', async () => {
    const server = createTokenServer({
      ...options,
      onIssue: () => {
        throw new Error(`audit store down ${CERT}`)
      },
    })
    const r = await server.fetch(new Request('http://x/token', tokenRequest))
    const message = await expectError(r, 500, 'ERR_INTERNAL')
    expect(message).toBe('internal error')
  })
})
