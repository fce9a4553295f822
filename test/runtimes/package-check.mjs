// `npm run test:package`: the package as published. `npm pack`, then publint --strict and
// arethetypeswrong on the tarball, then a consumer project that installs the tarball and both
// require()s and import()s it to build and verify a vector's token, then the gzipped size of two
// bundles a consumer would ship, against size-budget.json. Ends with `N passed, M failed`.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { checkReadme } from './readme-snippets.mjs'
import { HERE, ROOT, pack } from './stage.mjs'

const BIN = join(HERE, 'node_modules', '.bin')
const BUDGET = JSON.parse(readFileSync(join(HERE, 'size-budget.json'), 'utf8'))

function run(command, args, cwd) {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    })
  } catch (error) {
    throw new Error(
      `${command} ${args.join(' ')} failed:\n${(error.stdout ?? '') + (error.stderr ?? '')}`.trim(),
    )
  }
}

function publint(tarball) {
  const out = run(join(BIN, 'publint'), ['run', '--strict', tarball], ROOT)
  // publint --strict exits non-zero on any warning or error; "All good!" is its clean verdict.
  if (!out.includes('All good!')) throw new Error(out)
  return 'All good!'
}

function attw(tarball) {
  // Exits non-zero on any problem in any resolution mode (node10, node16 CJS/ESM, bundler).
  const out = run(join(BIN, 'attw'), ['--format', 'json', tarball], ROOT)
  const { analysis } = JSON.parse(out)
  const problems = analysis.problems
  if (!Array.isArray(problems)) throw new Error(`unexpected attw output: ${out.slice(0, 500)}`)
  if (problems.length > 0) throw new Error(JSON.stringify(problems, null, 2))
  const modes = Object.keys(analysis.entrypoints['.'].resolutions)
  return `no problems (${modes.join(', ')})`
}

/** A vector whose token both module systems must rebuild byte for byte and then verify. */
function smokeVector() {
  const file = JSON.parse(readFileSync(join(ROOT, 'vectors', 'python3.accesstoken2.json'), 'utf8'))
  const v = file.vectors.find((x) => x.id === 'pub-at2-0178-multi')
  const names = {
    1: 'rtc',
    2: 'rtm',
    3: 'streaming',
    4: 'fpa',
    5: 'chat',
    6: 'fcdn',
    7: 'apaas',
    8: 'rtm2',
  }
  return {
    token: v.token,
    input: {
      appId: v.appId,
      appCertificate: v.appCertificate,
      expire: v.expire,
      issueTs: v.issueTs,
      salt: v.salt,
      services: v.services.map(({ type, ...rest }) => ({ ...rest, type: names[type] })),
    },
    atMs: v.issueTs * 1000,
  }
}

function smokeScript(moduleSystem, vector) {
  const load =
    moduleSystem === 'cjs'
      ? "const lib = require('token007')\nconst entry = require.resolve('token007')"
      : "const lib = await import('token007')\nconst entry = import.meta.resolve('token007')"
  return `// ${moduleSystem} consumer of the packed token007
${load}
const v = ${JSON.stringify(vector)}
const fail = (m) => { console.error(m); process.exit(1) }
const expectEntry = ${JSON.stringify(moduleSystem === 'cjs' ? '/dist/index.cjs' : '/dist/index.js')}
if (!entry.endsWith('/node_modules/token007' + expectEntry)) fail('resolved to ' + entry)
const token = lib.buildToken(v.input)
if (token !== v.token) fail('buildToken gave ' + token)
const verified = lib.verifyToken(token, v.input.appCertificate, { currentDate: new Date(v.atMs) })
if (verified.services.length !== v.input.services.length) fail('verifyToken gave ' + JSON.stringify(verified))
try {
  lib.verifyToken(token, v.input.appCertificate.replace(/^./, (c) => (c === '0' ? '1' : '0')), { currentDate: new Date(v.atMs) })
  fail('a wrong certificate verified')
} catch (e) {
  if (!(e instanceof lib.TokenError) || e.code !== 'ERR_TOKEN_SIGNATURE') fail('wrong error: ' + e)
}
const cert = v.input.appCertificate.toLowerCase() // the guarded builders refuse upper case
const fresh = lib.RtcTokenBuilder.buildTokenWithUid(v.input.appId, cert, 'room', 42, lib.RtcRole.PUBLISHER, 600, 600)
lib.verifyToken(fresh, cert, { require: { service: 'rtc', privilege: 'joinChannel', channelName: 'room', uid: 42 } })
const client = ${moduleSystem === 'cjs' ? "require('token007/client')" : "await import('token007/client')"}
const keeper = client.createTokenKeeper({ fetchToken: async () => fresh })
keeper.getToken().then((t) => {
  if (t !== fresh) fail('token007/client: the keeper handed out another token')
  keeper.stop()
}, (e) => fail('token007/client: ' + e))
console.log('${moduleSystem} ok: ' + entry.slice(entry.indexOf('node_modules')))
`
}

/** A fresh consumer project with the tarball installed, as `npm install token007` would. */
function install(tarball, project) {
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'token007-smoke', private: true }),
  )
  // The dependencies (pako, @noble/hashes) come from the npm cache when they are there.
  run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball],
    project,
  )
  const installed = JSON.parse(
    readFileSync(join(project, 'node_modules', 'token007', 'package.json'), 'utf8'),
  )
  return `token007@${installed.version} and its dependencies ${Object.keys(installed.dependencies ?? {}).join(', ')}`
}

/** A CommonJS and an ES module consumer of the installed package. */
function smoke(project) {
  const vector = smokeVector()
  writeFileSync(join(project, 'smoke.cjs'), smokeScript('cjs', vector))
  writeFileSync(join(project, 'smoke.mjs'), smokeScript('esm', vector))
  return [
    run(process.execPath, ['smoke.cjs'], project).trim(),
    run(process.execPath, ['smoke.mjs'], project).trim(),
  ].join('; ')
}

/** Minified + gzipped bytes of each budgeted bundle, built from the installed package. */
async function sizes(project) {
  const results = []
  for (const bundle of BUDGET.bundles) {
    const { outputFiles, metafile } = await build({
      stdin: { contents: bundle.code, resolveDir: project, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'error',
    })
    const minified = outputFiles[0].contents.length
    const gzipped = gzipSync(outputFiles[0].contents, { level: 9 }).length
    const [output] = Object.values(metafile.outputs)
    const top = Object.entries(output.inputs)
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
      .slice(0, 3)
      .map(
        ([path, { bytesInOutput }]) => `${path.replace(/^.*node_modules\//, '')} ${bytesInOutput}`,
      )
    const text = outputFiles[0].text
    // Code a bundle must not carry, found by constants only it would contain (e.g. SHA-256's).
    const forbidden = Object.entries(bundle.forbid ?? {})
      .filter(([, markers]) => markers.some((m) => text.toLowerCase().includes(m)))
      .map(([what]) => what)
    results.push({
      ...bundle,
      forbidden,
      minified,
      gzipped,
      // A bundle may set its own tolerance: 0 makes its budget a hard limit (issue 16: ≤ 6 KB).
      limit: Math.floor(bundle.budgetGzipBytes * (1 + (bundle.tolerance ?? BUDGET.tolerance))),
      top,
    })
  }
  return results
}

const PARTS = ['publint', 'attw', 'smoke', 'readme', 'size']

async function main() {
  // Parts can be named on the command line (`npm run size` runs only `size`).
  const wanted = process.argv.slice(2)
  const unknown = wanted.filter((w) => !PARTS.includes(w))
  if (unknown.length)
    throw new Error(`unknown part ${unknown.join(', ')}; known: ${PARTS.join(', ')}`)
  const runs = (part) => wanted.length === 0 || wanted.includes(part)
  if (!existsSync(BIN))
    throw new Error('test/runtimes/node_modules is missing: run npm ci --prefix test/runtimes')

  const work = mkdtempSync(join(tmpdir(), 'token007-package-'))
  const checks = []
  async function check(name, fn) {
    try {
      checks.push({ name, ok: true, detail: await fn() })
    } catch (error) {
      checks.push({ name, ok: false, detail: error.message })
    }
  }
  try {
    const tarball = pack(work)
    if (runs('publint')) await check('publint --strict', () => publint(tarball))
    if (runs('attw')) await check('attw (arethetypeswrong)', () => attw(tarball))
    const project = join(work, 'consumer')
    mkdirSync(project)
    if (runs('smoke') || runs('readme') || runs('size'))
      await check('install the packed tarball', () => install(tarball, project))
    if (runs('smoke')) await check('packed tarball: require() and import()', () => smoke(project))
    if (runs('readme'))
      await check('README code blocks and consumer types (tsc --strict)', () =>
        checkReadme(ROOT, project),
      )
    if (runs('size')) {
      for (const s of await sizes(project)) {
        await check(`size: ${s.name}`, () => {
          const line = `${s.gzipped} B gzipped (${s.minified} B minified); budget ${s.budgetGzipBytes} B, limit ${s.limit} B`
          if (s.gzipped > s.limit)
            throw new Error(`${line}: over the limit [largest: ${s.top.join(', ')}]`)
          if (s.forbidden.length > 0) throw new Error(`${line}: contains ${s.forbidden.join(', ')}`)
          // Far under budget: the budget should come down so that it keeps guarding.
          const hint =
            s.gzipped < s.budgetGzipBytes * (1 - BUDGET.tolerance)
              ? ' (well under: lower the budget)'
              : ''
          const clean = Object.keys(s.forbid ?? {}).map((what) => `; no ${what}`)
          return `${line}${hint}${clean.join('')} [largest: ${s.top.join(', ')}]`
        })
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  for (const c of checks) console.log(`${c.ok ? 'ok    ' : 'FAILED'} ${c.name}: ${c.detail}`)
  const failed = checks.filter((c) => !c.ok).length
  console.log(`\n${checks.length - failed} passed, ${failed} failed`)
  process.exitCode = failed > 0 ? 1 : 0
}

main().catch((error) => {
  console.error(error.stack ?? error)
  console.log('0 passed, 1 failed')
  process.exitCode = 1
})
