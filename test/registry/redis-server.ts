// A real redis-server for a test: a free loopback port, a temporary directory, no persistence.
// Started and stopped by the test; stop() and start() again on the same port simulate an outage.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface RedisServer {
  readonly port: number
  readonly url: string
  /** Stops the server (SIGTERM, waits for the exit). */
  stop(): Promise<void>
  /** Starts it again on the same port (empty: nothing is persisted). */
  start(): Promise<void>
  /** Stops it and removes its directory. */
  dispose(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--protected-mode',
        'yes',
        '--loglevel',
        'notice',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`redis-server did not start on port ${port}: ${output}`))
    }, 10_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (/Ready to accept connections/i.test(output)) {
        clearTimeout(timer)
        resolve(child)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('error', (err) => {
      clearTimeout(timer)
      reject(
        new Error(
          `redis-server could not be started (is it installed? apt-get install -y redis-server): ${err.message}`,
        ),
      )
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}: ${output}`))
    })
  })
}

/** Starts a redis-server on a free loopback port. */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'token007-redis-'))
  let port = 0
  let child: ChildProcess | undefined
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort()
    try {
      child = await launch(port, dir)
    } catch (err) {
      if (attempt >= 3) throw err
    }
  }
  const stop = async () => {
    const c = child
    child = undefined
    if (!c || c.exitCode !== null) return
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve())
      c.kill('SIGTERM')
    })
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    async start() {
      if (child) return
      child = await launch(port, dir)
    },
    async dispose() {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
