// The token server of the keeper's real-timer suite: the real `token007 serve` as a child
// process on 127.0.0.1, authenticated with a fresh API key. It goes down for real (the process
// stops, so requests are refused) and comes back on the same port.
import { spawn } from 'node:child_process'

const APP_ID = '970CA35de60c44645bbae8a215061b33'
const APP_CERTIFICATE = '5cfd2fd1755d40ecb72977518be15d3b'

/**
 * Runs the real `token007 serve` (dist/cli.js) on a loopback port with a fresh API key; `down()`
 * stops the process (SIGTERM, so requests are refused) and `up()` starts it again on the same
 * port. `requests` counts the tokens it issued (its access log's issue events).
 * @param {{ cli: string, allowOrigin?: string }} options
 * @returns {Promise<{ tokenUrl: string, headers: Record<string, string>, requests: number,
 *   down(): Promise<void>, up(): Promise<void>, close(): Promise<void> }>}
 */
export async function startServeProcess({ cli, allowOrigin }) {
  const apiKey = `keeper-test-${crypto.randomUUID()}`
  const env = {
    PATH: process.env.PATH,
    AGORA_APP_ID: APP_ID,
    AGORA_APP_CERTIFICATE: APP_CERTIFICATE,
    TOKEN007_API_KEYS: apiKey,
    ...(allowOrigin ? { TOKEN007_CORS_ORIGINS: allowOrigin } : {}),
  }
  let child
  let exited
  let port = 0
  const service = {
    tokenUrl: '',
    headers: { authorization: `Bearer ${apiKey}` },
    requests: 0,
    down: () => stop(),
    up: () => start(),
    close: () => stop(),
  }

  function start() {
    child = spawn(process.execPath, [cli, 'serve', '--host', '127.0.0.1', '--port', String(port)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    exited = new Promise((resolve) => child.once('close', resolve))
    let buffered = ''
    let errors = ''
    child.stderr.on('data', (d) => (errors += d))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`token007 serve did not start: ${errors}`)),
        20_000,
      )
      child.stdout.on('data', (chunk) => {
        buffered += chunk
        const lines = buffered.split('\n')
        buffered = lines.pop()
        for (const line of lines) {
          if (line.includes('"event":"issue"')) service.requests++
          if (line.includes('"event":"listening"')) {
            const url = JSON.parse(line).url
            port = Number(new URL(url).port)
            service.tokenUrl = `${url}/token`
            clearTimeout(timer)
            resolve()
          }
        }
      })
      exited.then((code) => {
        clearTimeout(timer)
        reject(new Error(`token007 serve exited with ${code}: ${errors}`))
      })
    })
  }

  async function stop() {
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    await exited
  }

  await start()
  return service
}
