// `npm run test:runtimes:server`: the token server's fetch handler (token007/server, from the
// packed package) served by Deno.serve, Bun.serve and workerd, each on a free loopback port, and
// the same HTTP checks run against each from Node. Prints a table and `N passed, M failed`;
// exits non-zero when a check fails or a runtime cannot serve. Runtimes can be named on the
// command line (e.g. `node test/runtimes/server/run.mjs deno`).
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { freePort } from '../runners/workerd.mjs'
import { HERE as RUNTIMES_DIR, pack } from '../stage.mjs'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const BIN = join(RUNTIMES_DIR, 'node_modules', '.bin')
const STAGE = join(RUNTIMES_DIR, '.generated', 'server-smoke')
const TIMEOUT_MS = 60_000

/** The packed package unpacked under STAGE/node_modules, the entries and checks beside it. */
async function stage() {
  rmSync(STAGE, { recursive: true, force: true })
  mkdirSync(STAGE, { recursive: true })
  const tarball = pack(STAGE)
  const packageDir = join(STAGE, 'node_modules', 'token007')
  mkdirSync(packageDir, { recursive: true })
  execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'])
  for (const file of readdirSync(HERE)) {
    if (file !== 'run.mjs') copyFileSync(join(HERE, file), join(STAGE, file))
  }
  // As wrangler would deploy it: one ES module with hono and jose inside, no Node built-ins.
  const workerBundle = join(STAGE, 'worker.bundle.js')
  await build({
    entryPoints: [join(STAGE, 'worker.mjs')],
    outfile: workerBundle,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser', 'import'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'error',
  })
  return { workerBundle }
}

function workerdConfig(bundle, port) {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "tokens", worker = .tokenWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "tokens") ],
);

const tokenWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "${bundle}") ],
  compatibilityDate = "2026-10-01",
  bindings = [
    (name = "AGORA_APP_ID", text = "970ca35de60c44645bbae8a215061b33"),
    (name = "AGORA_APP_CERTIFICATE", text = "5cfd2fd1755d40ecb72977518be15d3b"),
  ],
);
`
}

/** Starts a server process and resolves to its origin once it answers /healthz. */
async function serve(name, command, args, env, portHint) {
  const child = spawn(command, args, {
    cwd: STAGE,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const deadline = Date.now() + TIMEOUT_MS
  const stop = async () => {
    child.kill('SIGTERM')
    await Promise.race([
      new Promise((r) => child.once('close', r)),
      new Promise((r) => setTimeout(r, 3_000)),
    ])
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`)
      if (Date.now() > deadline) throw new Error('did not start in time')
      const line = /LISTENING (\d+) (\S+)/.exec(output)
      const port = portHint ?? line?.[1]
      if (port) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/healthz`)
          if (r.ok) return { origin: `http://127.0.0.1:${port}`, version: line?.[2], stop }
        } catch {}
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  } catch (error) {
    await stop()
    throw new Error(`${name}: ${error.message}\n${output.trim()}`.trim())
  }
}

const RUNTIMES = [
  {
    name: 'deno',
    start: () =>
      serve(
        'deno',
        join(BIN, 'deno'),
        ['run', '--no-lock', '--no-prompt', '--allow-net=127.0.0.1', 'deno.mjs'],
        {
          DENO_DIR: join(STAGE, 'deno-cache'),
          DENO_NO_UPDATE_CHECK: '1',
        },
      ),
  },
  { name: 'bun', start: () => serve('bun', join(BIN, 'bun'), ['bun.mjs'], {}) },
  {
    name: 'workerd',
    start: async (staged) => {
      const port = await freePort()
      const config = join(STAGE, 'workerd.capnp')
      writeFileSync(config, workerdConfig(basename(staged.workerBundle), port))
      const running = await serve('workerd', join(BIN, 'workerd'), ['serve', config], {}, port)
      const version = execFileSync(join(BIN, 'workerd'), ['--version'], { encoding: 'utf8' })
      return { ...running, version: version.trim().replace(/^workerd\s+/, '') }
    },
  },
]

async function main() {
  const wanted = process.argv.slice(2)
  const staged = await stage()
  // Imported from the stage, so that 'token007' and 'jose' resolve as a consumer's would.
  const { runChecks, CHECK_COUNT } = await import(join(STAGE, 'checks.mjs'))
  const rows = []
  const problems = []
  for (const runtime of RUNTIMES.filter((r) => wanted.length === 0 || wanted.includes(r.name))) {
    process.stderr.write(`${runtime.name}… `)
    let row
    try {
      const running = await runtime.start(staged)
      try {
        const result = await runChecks(running.origin)
        row = { name: runtime.name, version: running.version ?? '-', ...result }
        if (result.passed + result.failed !== CHECK_COUNT) {
          problems.push(
            `${runtime.name}: ran ${result.passed + result.failed} checks, expected ${CHECK_COUNT}`,
          )
          row.failed += 1
        }
        problems.push(...result.failures.map((f) => `${runtime.name}: ${f}`))
      } finally {
        await running.stop()
      }
    } catch (error) {
      row = { name: runtime.name, version: '-', passed: 0, failed: 1 }
      problems.push(error.message)
    }
    process.stderr.write(`${row.failed ? 'FAILED' : 'ok'}\n`)
    rows.push(row)
  }
  for (const r of rows)
    console.log(
      `${r.name.padEnd(8)} ${String(r.version).padEnd(12)} ${r.passed} passed, ${r.failed} failed`,
    )
  if (problems.length) console.log(`\n${problems.join('\n')}`)
  const passed = rows.reduce((n, r) => n + r.passed, 0)
  const failed = rows.reduce((n, r) => n + r.failed, 0)
  console.log(`\n${passed} passed, ${failed} failed`)
  process.exitCode = failed > 0 || rows.length === 0 ? 1 : 0
}

main().catch((error) => {
  console.error(error.message)
  console.log('0 passed, 1 failed')
  process.exitCode = 1
})
