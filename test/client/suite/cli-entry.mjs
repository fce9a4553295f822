// The real-timer suite in a runtime that runs module files (Deno, Bun, Node), loading the built
// client bundle. The token server and its switches live in the parent process (runtimes.mjs):
// KEEPER_TOKEN_URL is `POST /token`, KEEPER_CONTROL the origin of /control/{down,up,requests}.
// Prints one `RESULT <json>` line, then holds a keeper that is never stopped: the process must
// still exit (the keeper's timers are unref'd), which the parent checks.
import { createTokenKeeper } from '../../../dist/client.js'
import { runKeeperSuite } from './real-timers.mjs'

const env = (name) => (globalThis.Deno ? globalThis.Deno.env.get(name) : process.env[name])
const control = env('KEEPER_CONTROL')
const tokenUrl = env('KEEPER_TOKEN_URL')
const headers = JSON.parse(env('KEEPER_HEADERS') || '{}')

const post = async (path) => {
  const response = await fetch(control + path, { method: 'POST' })
  if (!response.ok) throw new Error(`${path} answered ${response.status}`)
}

const checks = await runKeeperSuite({
  createTokenKeeper,
  tokenUrl,
  headers,
  control: {
    down: () => post('/control/down'),
    up: () => post('/control/up'),
    requests: () => fetch(control + '/control/requests').then((r) => r.json()),
  },
})
console.log(`RESULT ${JSON.stringify(checks)}`)

// A keeper left running with a renewal scheduled an hour away.
const lingering = createTokenKeeper({
  fetchToken: async () => {
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        type: 'rtc',
        channelName: 'room',
        uid: 42,
        role: 'publisher',
        expiresIn: 3600,
      }),
    })
    return (await response.json()).token
  },
})
await lingering.getToken()
console.log('HELD')
