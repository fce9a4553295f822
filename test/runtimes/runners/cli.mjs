// Runs the suite in a runtime that executes a module file (Node, Bun, Deno) and reads back the
// one RESULT line it prints. A runtime that cannot start, crashes or hangs is a failure.
import { spawn } from 'node:child_process'

/**
 * @param {{ name: string, command: string, args: string[], cwd: string, env?: object, timeoutMs?: number }} spec
 * @returns {Promise<{ runtime: string, version: string, passed: number, failed: number, failures: string[] }>}
 */
export function runCli({ name, command, args, cwd, env = {}, timeoutMs = 120_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${name}: no result after ${timeoutMs / 1000} s`))
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`${name}: cannot start ${command}: ${error.message}`))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
      if (code !== 0 || !line) {
        const why = signal ? `was killed by ${signal}` : `exited with ${code}`
        reject(
          new Error(
            `${name}: ${command} ${why} without a result\n${stderr.trim()}\n${stdout.trim()}`.trim(),
          ),
        )
        return
      }
      resolve(JSON.parse(line.slice('RESULT '.length)))
    })
  })
}
