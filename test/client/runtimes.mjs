// `npm run test:client-runtimes` (or `test:client-browser`, Chromium only): the keeper's
// real-timer suite (suite/real-timers.mjs) against the real token server (`token007 serve`,
// dist/cli.js, with a fresh API key) on loopback, loading the built client bundle
// (dist/client.js) as it is shipped:
// - chromium: a page that imports the bundle, calling the token server on another port (a
//   cross-origin call, as from a web app);
// - deno, bun, node: suite/cli-entry.mjs in a child process, which must also exit on its own with
//   a keeper still running (unref'd timers);
// - workerd: suite/worker-entry.mjs bundled into a Worker, run by one request.
// Runtimes can be named on the command line. Prints each check and `N passed, M failed`; exits
// non-zero on any failure.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServeProcess } from './token-server.mjs'

// playwright-core is a dependency of the runtime matrix (test/runtimes/package.json).
const require = createRequire(new URL('../runtimes/package.json', import.meta.url))
const { chromium } = require('playwright-core')
const { build } = require('esbuild')

const BIN = fileURLToPath(new URL('../runtimes/node_modules/.bin/', import.meta.url))
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
const CLI = fileURLToPath(new URL('dist/cli.js', ROOT))
const FILES = {
  '/client.js': 'dist/client.js',
  '/real-timers.mjs': 'test/client/suite/real-timers.mjs',
}

function page(tokenUrl, headers) {
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
      headers: ${JSON.stringify(headers ?? {})},
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
      if (path === '/')
        return send(
          200,
          'text/html; charset=utf-8',
          page(state.service.tokenUrl, state.service.headers),
        )
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

async function runChromium(_state, pages) {
  let browser
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
    return { version: `Chromium ${browser.version()}`, checks: suiteResult }
  } finally {
    await browser?.close()
  }
}

/** The suite in a child process; its exit after the RESULT line proves nothing held it. */
function runModule(name, command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`cannot start ${command}: ${error.message}`))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
      if (!line) {
        reject(new Error(`${name} ${signal ?? code} without a result\n${stderr}\n${stdout}`))
        return
      }
      const checks = JSON.parse(line.slice('RESULT '.length))
      checks.push({
        name: 'the process exits with a keeper still running',
        ok: code === 0 && stdout.includes('HELD'),
        detail: signal ? `killed by ${signal} after 60 s` : `exit code ${code}`,
      })
      resolve({ version: name, checks })
    })
  })
}

/**
 * The suite in a Worker on workerd: suite/worker-entry.mjs bundled into one module, served on a
 * free loopback port, with outbound fetch allowed to loopback (where the token server is).
 */
async function runWorkerd(state, pages) {
  const dir = mkdtempSync(join(tmpdir(), 'token007-keeper-workerd-'))
  let child
  try {
    const entry = fileURLToPath(new URL('suite/worker-entry.mjs', import.meta.url))
    await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      outfile: join(dir, 'worker.js'),
      logLevel: 'error',
    })
    const port = await freePort()
    writeFileSync(
      join(dir, 'workerd.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "suite", worker = .suiteWorker),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "suite") ],
);
const suiteWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2026-10-01",
  globalOutbound = "loopback",
);
`,
    )
    const version = execFileSync(`${BIN}workerd`, ['--version'], { encoding: 'utf8' }).trim()
    child = spawn(`${BIN}workerd`, ['serve', 'workerd.capnp'], { cwd: dir, stdio: 'ignore' })
    const query = new URLSearchParams({
      token: state.service.tokenUrl,
      headers: JSON.stringify(state.service.headers ?? {}),
      control: pages.origin,
    })
    const deadline = Date.now() + 60_000
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/?${query}`, {
          signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
        })
        if (!response.ok)
          throw new Error(`workerd answered ${response.status}: ${await response.text()}`)
        return { version, checks: await response.json() }
      } catch (error) {
        // Refused until workerd listens.
        if (error?.cause?.code !== 'ECONNREFUSED' || Date.now() > deadline) throw error
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  } finally {
    child?.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

const RUNTIMES = {
  chromium: runChromium,
  node: (state, pages) =>
    runModule(
      `Node ${process.version}`,
      process.execPath,
      ['suite/cli-entry.mjs'],
      env(state, pages),
    ),
  deno: (state, pages) =>
    runModule(
      execFileSync(`${BIN}deno`, ['--version'], { encoding: 'utf8' }).split('\n')[0],
      `${BIN}deno`,
      [
        'run',
        '--no-lock',
        '--no-prompt',
        '--allow-net=127.0.0.1',
        '--allow-env',
        '--allow-read',
        'suite/cli-entry.mjs',
      ],
      { ...env(state, pages), DENO_NO_UPDATE_CHECK: '1' },
    ),
  bun: (state, pages) =>
    runModule(
      `bun ${execFileSync(`${BIN}bun`, ['--version'], { encoding: 'utf8' }).trim()}`,
      `${BIN}bun`,
      ['suite/cli-entry.mjs'],
      env(state, pages),
    ),
  workerd: runWorkerd,
}

function env(state, pages) {
  return {
    KEEPER_TOKEN_URL: state.service.tokenUrl,
    KEEPER_HEADERS: JSON.stringify(state.service.headers ?? {}),
    KEEPER_CONTROL: pages.origin,
  }
}

/** The checks the suite makes; a run that reports fewer stopped early and fails. */
const SUITE_CHECKS = 7

async function main() {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(RUNTIMES)
  const unknown = names.filter((n) => !Object.hasOwn(RUNTIMES, n))
  if (unknown.length) throw new Error(`unknown runtime ${unknown}; known: ${Object.keys(RUNTIMES)}`)
  let passed = 0
  let failed = 0
  for (const name of names) {
    const state = {}
    const pages = await startPageServer(state)
    state.service = await startServeProcess({ cli: CLI, allowOrigin: pages.origin })
    let result
    try {
      result = await RUNTIMES[name](state, pages)
    } catch (error) {
      result = {
        version: name,
        checks: [{ name: 'the suite ran', ok: false, detail: error.message }],
      }
    } finally {
      await state.service.close()
      await pages.close()
    }
    console.log(`\n${name}: ${result.version}, dist/client.js`)
    for (const c of result.checks)
      console.log(`${c.ok ? 'ok    ' : 'FAILED'} ${c.name}: ${c.detail}`)
    const bad = result.checks.filter((c) => !c.ok).length
    const suiteChecks = result.checks.filter((c) => !c.name.startsWith('the process exits')).length
    const missing = Math.max(0, SUITE_CHECKS - suiteChecks)
    passed += result.checks.length - bad
    failed += bad + missing
  }
  console.log(`\n${passed} passed, ${failed} failed`)
  process.exitCode = failed > 0 ? 1 : 0
}

main().catch((error) => {
  console.error(error.stack ?? error)
  console.log('0 passed, 1 failed')
  process.exitCode = 1
})
