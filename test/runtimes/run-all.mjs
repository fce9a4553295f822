// `npm run test:runtimes`: the runtime suite on Node 20 (this machine), 22, 24 and 26 (each through
// import and through require), Bun, Deno, workerd and Chromium, against the packed package.
// Prints a table and `N passed, M failed`; exits non-zero when any check fails or any runtime
// cannot run. Runtimes can be named on the command line to run only those
// (e.g. `node test/runtimes/run-all.mjs deno chromium`).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE_DIR = dirname(fileURLToPath(import.meta.url))
const BIN = join(HERE_DIR, 'node_modules')

// The runtimes and the browser driver are this folder's own devDependencies, installed apart
// from the library's (they are large). Without them, say the one command that installs them,
// instead of failing on an import (`npm run test:runtimes` runs it itself).
const needed = Object.keys(
  JSON.parse(readFileSync(join(HERE_DIR, 'package.json'), 'utf8')).devDependencies,
)
const missing = needed.filter((name) => !existsSync(join(BIN, name, 'package.json')))
if (missing.length > 0) {
  console.error(
    `test/runtimes needs its own packages (missing: ${missing.join(', ')}). Install them with:\n\n` +
      '  npm ci --prefix test/runtimes --no-audit --no-fund\n\n' +
      '(or run npm run test:runtimes, which does it for you)',
  )
  process.exit(1)
}

const { ROOT, stage } = await import('./stage.mjs')
const { runCli } = await import('./runners/cli.mjs')
const { runWorkerd } = await import('./runners/workerd.mjs')
const { runChromium } = await import('./runners/chromium.mjs')

function nodeBinary(alias) {
  return join(BIN, alias, 'bin', 'node')
}

/** The suite in a module-file runtime, checking which build of the package it loaded. */
async function cli(name, command, args, s, build, env) {
  const result = await runCli({ name, command, args, cwd: s.dir, env })
  if (!result.entry.endsWith(`/node_modules/token007/dist/${build}`)) {
    throw new Error(`${name}: loaded ${result.entry}, expected dist/${build}`)
  }
  return result
}

/** Every runtime: a name and how to run the staged suite in it. */
const RUNTIMES = [
  // Node: this machine's (20) and the packaged 22, 24 and 26, each through import and require.
  ...[
    ['node20', process.execPath],
    ['node22', nodeBinary('node22')],
    ['node24', nodeBinary('node24')],
    ['node26', nodeBinary('node26')],
  ].flatMap(([name, binary]) => [
    { name, run: (s) => cli(name, binary, ['cli.mjs'], s, 'index.js') },
    {
      name: `${name}-cjs`,
      run: (s) => cli(`${name}-cjs`, binary, ['cli-require.mjs'], s, 'index.cjs'),
    },
  ]),
  { name: 'bun', run: (s) => cli('bun', join(BIN, '.bin', 'bun'), ['cli.mjs'], s, 'index.js') },
  {
    name: 'deno',
    // No permissions granted: the suite needs none. Deno's cache stays inside .generated.
    run: (s) =>
      cli(
        'deno',
        join(BIN, '.bin', 'deno'),
        ['run', '--no-lock', '--no-prompt', 'cli.mjs'],
        s,
        'index.js',
        {
          DENO_DIR: join(s.dir, 'deno-cache'),
          DENO_NO_UPDATE_CHECK: '1',
        },
      ),
  },
  {
    name: 'workerd',
    run: (s) =>
      runWorkerd({ binary: join(BIN, '.bin', 'workerd'), dir: s.dir, bundle: s.workerBundle }),
  },
  {
    name: 'chromium',
    run: (s) => runChromium({ root: ROOT, dir: s.dir, packageDir: s.packageDir }),
  },
]

function table(rows) {
  const header = ['runtime', 'version', 'passed', 'failed', 'seconds']
  const cells = [
    header,
    ...rows.map((r) => [r.name, r.version, String(r.passed), String(r.failed), r.seconds]),
  ]
  const widths = header.map((_, i) => Math.max(...cells.map((c) => c[i].length)))
  return cells
    .map((c) => c.map((v, i) => (i >= 2 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  '))
    .join('\n')
}

async function main() {
  const wanted = process.argv.slice(2)
  const unknown = wanted.filter((w) => !RUNTIMES.some((r) => r.name === w))
  if (unknown.length)
    throw new Error(
      `unknown runtime ${unknown.join(', ')}; known: ${RUNTIMES.map((r) => r.name).join(', ')}`,
    )

  const staged = await stage()
  // Every runtime must run every check: a count short of this is a failure, not a pass.
  const expected = 3 + Object.values(staged.slice).reduce((n, list) => n + list.length, 0)

  const rows = []
  const problems = []
  for (const runtime of RUNTIMES.filter((r) => wanted.length === 0 || wanted.includes(r.name))) {
    const started = Date.now()
    process.stderr.write(`${runtime.name}… `)
    let row
    try {
      const result = await runtime.run(staged)
      row = {
        name: runtime.name,
        version: result.version,
        passed: result.passed,
        failed: result.failed,
      }
      problems.push(...result.failures.slice(0, 20).map((f) => `${runtime.name}: ${f}`))
      if (result.failures.length > 20)
        problems.push(`${runtime.name}: … and ${result.failures.length - 20} more`)
      if (result.passed + result.failed !== expected) {
        problems.push(
          `${runtime.name}: ran ${result.passed + result.failed} checks, expected ${expected}`,
        )
        row.failed += 1
      }
    } catch (error) {
      row = { name: runtime.name, version: '-', passed: 0, failed: 1 }
      problems.push(error.message)
    }
    row.seconds = ((Date.now() - started) / 1000).toFixed(1)
    process.stderr.write(`${row.failed ? 'FAILED' : 'ok'}\n`)
    rows.push(row)
  }

  console.log(table(rows))
  if (problems.length) console.log('\n' + problems.join('\n'))
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
