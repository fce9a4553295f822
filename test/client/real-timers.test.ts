// The keeper with real timers against the real token server (`token007 serve`, dist/cli.js) over
// loopback HTTP: 3-second tokens, 50 concurrent callers, renewal before expiry, an outage (the
// server process stopped) past the end of the token in hand, and recovery (started again on the
// same port). The same suite runs against the built bundle in Chromium, Node, Deno, Bun and
// workerd (npm run test:client-runtimes).
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTokenKeeper } from '../../src/client/index.js'
import { runKeeperSuite } from './suite/real-timers.mjs'
import { startServeProcess } from './token-server.mjs'

const ROOT = join(__dirname, '..', '..')
const CLI = join(ROOT, 'dist', 'cli.js')

function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  )
}

let service: Awaited<ReturnType<typeof startServeProcess>>

beforeAll(async () => {
  // `npm test` builds first; build here too when dist/ is missing or older than src/.
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < newest(join(ROOT, 'src'))) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' })
  }
  service = await startServeProcess({ cli: CLI })
}, 180_000)

afterAll(async () => {
  await service?.close()
})

it('keeps a token from token007 serve with real timers', async () => {
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
}, 60_000)
