// The published `token007/server` entry: ESM and CJS load through the exports map in separate
// Node processes, share the library's error classes with `token007`, and the root entry's files
// never reference the server's dependencies.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = join(__dirname, '..', '..')
const FILES = ['index.js', 'index.cjs', 'server.js', 'server.cjs', 'server.d.ts', 'server.d.cts']

function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  )
}

beforeAll(() => {
  const paths = FILES.map((f) => join(ROOT, 'dist', f))
  const stale = paths.some((p) => !existsSync(p) || statSync(p).mtimeMs < newest(join(ROOT, 'src')))
  if (stale) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' })
}, 120_000)

const SCRIPT = `
const s = server.createTokenServer({ appId: '970ca35de60c44645bbae8a215061b33', appCertificate: '5cfd2fd1755d40ecb72977518be15d3b', apiKeys: ['k1-aaaaaaaaaaaaaaaaaaaa'] })
let shared = false
try { server.createTokenServer({}) } catch (e) { shared = e instanceof lib.TokenError && e.code === 'ERR_INVALID_ARGUMENT' }
s.fetch(new Request('http://x/token', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer k1-aaaaaaaaaaaaaaaaaaaa' }, body: '{"type":"rtm","userId":"a"}' }))
  .then((r) => r.json())
  .then((b) => console.log(JSON.stringify({ shared, version: lib.verifyToken(b.token, '5cfd2fd1755d40ecb72977518be15d3b').version })))
`

describe('token007/server as published', () => {
  it.each([
    [
      'import',
      `import * as server from 'token007/server'\nimport * as lib from 'token007'\n${SCRIPT}`,
    ],
    [
      'require',
      `const server = require('token007/server')\nconst lib = require('token007')\n${SCRIPT}`,
    ],
  ])('loads through %s and shares the library with the root entry', (kind, code) => {
    const args = kind === 'import' ? ['--input-type=module', '-e', code] : ['-e', code]
    const out = execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({ shared: true, version: '007' })
  })

  it("keeps the root entry's files free of server dependencies", () => {
    for (const file of ['index.js', 'index.cjs', 'index.d.ts']) {
      const text = readFileSync(join(ROOT, 'dist', file), 'utf8')
      expect(text).not.toMatch(/['"](hono|jose|@hono\/node-server)(\/[^'"]*)?['"]/)
      expect(text).not.toContain('createTokenServer')
    }
    const source = readFileSync(join(ROOT, 'src', 'index.ts'), 'utf8')
    expect(source).not.toMatch(/from ['"]\.\/server/)
  })
})
