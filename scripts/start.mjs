#!/usr/bin/env node
// `npm start`: the local token server on demo credentials (`token007 serve --demo`). The package is
// built first when dist/ is missing or older than what it is built from, so a fresh clone needs
// only `npm ci && npm start`. The command line then runs in this same process, so Ctrl+C reaches
// it directly and it closes gracefully.
import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const at = (path) => join(root, path)

/** The newest modification time under `path` (a file or a folder), in milliseconds. */
function newest(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))))
}

function builtAt() {
  try {
    return Math.min(statSync(at('dist/cli.js')).mtimeMs, statSync(at('dist/server.js')).mtimeMs)
  } catch {
    return 0
  }
}

const sources = Math.max(
  newest(at('src')),
  newest(at('package.json')),
  newest(at('tsup.config.ts')),
)
if (builtAt() <= sources) {
  console.error('token007: building the package first (npm run build)…')
  execFileSync('npm', ['run', 'build', '--silent', '--', '--silent'], {
    cwd: root,
    stdio: 'inherit',
  })
}
process.argv = [process.argv[0], at('dist/cli.js'), 'serve', '--demo', ...process.argv.slice(2)]
await import(pathToFileURL(at('dist/cli.js')).href)
