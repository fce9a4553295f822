// Runs the suite inside a Cloudflare Worker on workerd: the bundled Worker, no compatibility
// flags (so no nodejs_compat), served on a free loopback port; one request fetches the result,
// then the server is stopped. Bounded: a server that does not answer in time is killed.
import { execFileSync, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { basename, join } from 'node:path'

// Recent enough for every Web API the library uses, and no later than the pinned workerd binary.
const COMPATIBILITY_DATE = '2026-10-01'

/** A port the kernel just handed out on 127.0.0.1 (free at the time of asking). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function capnpConfig(bundleFile, port) {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "suite", worker = .suiteWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "suite") ],
);

const suiteWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "${bundleFile}") ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
);
`
}

async function fetchResult(url, child, deadline) {
  let lastError
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}`)
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
      })
      if (!response.ok)
        throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 2000)}`)
      return await response.json()
    } catch (error) {
      // Connection refused until workerd listens; anything else is a real answer.
      if (error?.cause?.code !== 'ECONNREFUSED') throw error
      lastError = error
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(
    `no answer on ${url}${lastError ? ` (${lastError.cause?.code ?? lastError.message})` : ''}`,
  )
}

/**
 * @param {{ binary: string, dir: string, bundle: string, timeoutMs?: number }} spec
 */
export async function runWorkerd({ binary, dir, bundle, timeoutMs = 60_000 }) {
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' })
    .trim()
    .replace(/^workerd\s+/, '')
  const port = await freePort()
  const config = join(dir, 'workerd.capnp')
  writeFileSync(config, capnpConfig(basename(bundle), port))

  const child = spawn(binary, ['serve', config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise((resolve) => child.on('close', resolve))
  const started = new Promise((_, reject) =>
    child.on('error', (e) => reject(new Error(`cannot start workerd: ${e.message}`))),
  )
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5_000)
  try {
    const result = await Promise.race([
      fetchResult(`http://127.0.0.1:${port}/`, child, Date.now() + timeoutMs),
      started,
    ])
    return { runtime: 'workerd', version, ...result }
  } catch (error) {
    throw new Error(`workerd: ${error.message}\n${output.trim()}`.trim())
  } finally {
    child.kill('SIGTERM')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))])
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    clearTimeout(killer)
  }
}
