// The built entries: token007/registry and token007/server import the library as 'token007'
// (one copy of each error class), the root entry stays free of the registry and of Redis, and the
// server bundle never pulls in the Redis client.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = join(__dirname, '..', '..')
const dist = (file: string) => join(ROOT, 'dist', file)

beforeAll(() => {
  // Built by `npm test` before vitest runs; built here when run alone.
  if (!existsSync(dist('registry.js')) || !existsSync(dist('server.js'))) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' })
  }
}, 180_000)

describe('built entry points', () => {
  it('share one TokenRevoked / RegistryUnavailable with the root entry, in ESM and CJS', async () => {
    const root = await import('token007')
    const registry = await import('token007/registry')
    expect(registry.TokenRevoked).toBe(root.TokenRevoked)
    expect(registry.RegistryUnavailable).toBe(root.RegistryUnavailable)
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        "const r = require('token007'); const g = require('token007/registry'); console.log(g.TokenRevoked === r.TokenRevoked && typeof g.createMemoryRegistry)",
      ],
      { cwd: ROOT, encoding: 'utf8' },
    )
    expect(out.trim()).toBe('function')
  })

  it('keep Redis out of the root and server bundles', () => {
    for (const file of ['index.js', 'index.cjs', 'server.js']) {
      expect(readFileSync(dist(file), 'utf8')).not.toContain('@redis/client')
    }
    expect(readFileSync(dist('index.js'), 'utf8')).not.toContain('createMemoryRegistry')
    expect(readFileSync(dist('registry.js'), 'utf8')).toContain('import("@redis/client")')
  })
})
