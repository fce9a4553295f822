// `npm run test:client-browser`: the keeper's real-timer suite (suite/real-timers.mjs) in headless
// Chromium, in a page that loads the built client bundle (dist/client.js) as it is shipped, against
// a real token server on another loopback port (a cross-origin call, as from a web app). Prints
// each check and `N passed, M failed`; exits non-zero on any failure.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { rtcToken } from '../../dist/index.js'
import { startTokenService } from './token-server.mjs'

// playwright-core is a dependency of the runtime matrix (test/runtimes/package.json).
const require = createRequire(new URL('../runtimes/package.json', import.meta.url))
const { chromium } = require('playwright-core')

const CHROMIUM = '/usr/bin/chromium'
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
]
const ROOT = new URL('../../', import.meta.url)
const FILES = {
  '/client.js': 'dist/client.js',
  '/real-timers.mjs': 'test/client/suite/real-timers.mjs',
}

function page(tokenUrl) {
  return `<!doctype html>
<meta charset="utf-8">
<title>token007/client keeper suite</title>
<script type="module">
  import { createTokenKeeper } from '/client.js'
  import { runKeeperSuite } from '/real-timers.mjs'
  const post = async (path) => {
    const response = await fetch(path, { method: 'POST' })
    if (!response.ok) throw new Error(path + ' answered ' + response.status)
  }
  try {
    globalThis.suiteResult = await runKeeperSuite({
      createTokenKeeper,
      tokenUrl: ${JSON.stringify(tokenUrl)},
      control: {
        down: () => post('/control/down'),
        up: () => post('/control/up'),
        requests: () => fetch('/control/requests').then((r) => r.json()),
      },
    })
  } catch (error) {
    globalThis.suiteError = String(error && error.stack || error)
  }
</script>
`
}

/** The page, the two modules it loads, and the switches of the token server. */
function startPageServer(state) {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://x').pathname
    const send = (status, type, body) =>
      response.writeHead(status, { 'content-type': type }).end(body)
    try {
      if (path === '/') return send(200, 'text/html; charset=utf-8', page(state.service.tokenUrl))
      if (Object.hasOwn(FILES, path)) {
        return send(200, 'text/javascript; charset=utf-8', readFileSync(new URL(FILES[path], ROOT)))
      }
      if (path === '/control/requests')
        return send(200, 'application/json', String(state.service.requests))
      if (request.method === 'POST' && path === '/control/down') {
        await state.service.down()
        return send(204, 'text/plain', '')
      }
      if (request.method === 'POST' && path === '/control/up') {
        await state.service.up()
        return send(204, 'text/plain', '')
      }
      send(404, 'text/plain', 'not found')
    } catch (error) {
      send(500, 'text/plain', String(error))
    }
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    )
  })
}

async function main() {
  const state = {}
  const pages = await startPageServer(state)
  state.service = await startTokenService({ rtcToken, allowOrigin: pages.origin })
  let browser
  let checks = []
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
    const tab = await browser.newPage()
    const problems = []
    tab.on('pageerror', (error) => problems.push(error.message))
    await tab.goto(`${pages.origin}/`)
    await tab.waitForFunction(() => globalThis.suiteResult || globalThis.suiteError, null, {
      timeout: 60_000,
    })
    const { suiteResult, suiteError } = await tab.evaluate(() => ({
      suiteResult: globalThis.suiteResult,
      suiteError: globalThis.suiteError,
    }))
    if (suiteError) throw new Error(`the page failed: ${suiteError}\n${problems.join('\n')}`)
    checks = suiteResult
    console.log(`chromium ${browser.version()}, dist/client.js`)
  } catch (error) {
    checks.push({ name: 'the page ran the suite', ok: false, detail: error.message })
  } finally {
    await browser?.close()
    await state.service.close()
    await pages.close()
  }
  for (const c of checks) console.log(`${c.ok ? 'ok    ' : 'FAILED'} ${c.name}: ${c.detail}`)
  const failed = checks.filter((c) => !c.ok).length
  // Seven checks: a suite that stopped early must not pass.
  const missing = Math.max(0, 7 - checks.length)
  console.log(`\n${checks.length - failed} passed, ${failed + missing} failed`)
  process.exitCode = failed + missing > 0 ? 1 : 0
}

main()
