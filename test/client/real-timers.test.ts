// The keeper with real timers against a real token server over loopback HTTP: 3-second tokens,
// 50 concurrent callers, renewal before expiry, an outage past the end of the token in hand, and
// recovery. The same suite runs in Chromium (npm run test:client-browser).
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTokenKeeper } from '../../src/client/index.js'
import { rtcToken } from '../../src/index.js'
import { runKeeperSuite } from './suite/real-timers.mjs'
import { startTokenService } from './token-server.mjs'

let service: Awaited<ReturnType<typeof startTokenService>>

beforeAll(async () => {
  service = await startTokenService({ rtcToken })
})

afterAll(async () => {
  await service.close()
})

it('keeps a token over real HTTP with real timers', async () => {
  const checks: { name: string; ok: boolean; detail: string }[] = await runKeeperSuite({
    createTokenKeeper,
    tokenUrl: service.tokenUrl,
    headers: service.headers,
    control: {
      down: () => service.down(),
      up: () => service.up(),
      requests: async () => service.requests,
    },
  })
  for (const c of checks) console.log(`${c.ok ? 'ok    ' : 'FAILED'} ${c.name}: ${c.detail}`)
  expect(checks.filter((c) => !c.ok)).toEqual([])
  expect(checks.map((c) => c.name)).toEqual([
    '50 concurrent getToken() make one request',
    'renewed before expiry',
    'getToken() returns the renewed token',
    'the old token is used until its end while the server is down',
    'getToken() rejects after the end while fetching fails',
    'retries with growing gaps while the server is down',
    'recovers after the server is back',
  ])
}, 30_000)
