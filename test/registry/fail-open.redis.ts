// failOpen on the token server, against a real Redis that goes away: issuing goes on without
// recording ("recorded": false) and /verify answers without the revocation check
// ("revocationChecked": false); without failOpen both are 503 (see fleet.redis.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisRegistry, type RedisTokenRegistry } from '../../src/registry/index.js'
import { createTokenServer } from '../../src/server/index.js'
import { type RedisServer, startRedis } from './redis-server.js'

const APP_ID = '970ca35de60c44645bbae8a215061b33'
const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
const KEY = 'open-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'

let redis: RedisServer
let registry: RedisTokenRegistry
beforeAll(async () => {
  redis = await startRedis()
  registry = createRedisRegistry({ url: redis.url, timeoutMs: 300 })
})
afterAll(async () => {
  await registry?.close()
  await redis?.dispose()
})

describe('createTokenServer({ failOpen: true }) with Redis down', () => {
  it('issues unrecorded tokens and verifies without revocation, saying so', async () => {
    const server = createTokenServer({
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY],
      registry,
      failOpen: true,
    })
    const post = (path: string, body: unknown) =>
      server.fetch(
        new Request(`http://token007.test${path}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }),
      )
    const up = await (await post('/token', { type: 'rtm', userId: 'u' })).json()
    expect(up).not.toHaveProperty('recorded')
    await redis.stop()
    const issued = await post('/token', { type: 'rtm', userId: 'u' })
    expect(issued.status).toBe(200)
    const body = await issued.json()
    expect(body.recorded).toBe(false)
    const verified = await (await post('/verify', { token: body.token })).json()
    expect(verified).toMatchObject({ valid: true, revocationChecked: false })
    // A bad token stays bad: failOpen only skips the revocation check.
    const bad = await (await post('/verify', { token: `${body.token.slice(0, -4)}AAAA` })).json()
    expect(bad.valid).toBe(false)
    await redis.start()
  })
})
