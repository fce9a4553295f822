// Micro-benchmark of the zlib boundary: ops/s of src/lib/zlib.ts (the pure-JS fast paths)
// against pako (one-shot, and with a reused stream) and node:zlib, on real token payloads.
//
//   node bench/zlib-micro.mjs [seconds-per-measurement]
//
// The TypeScript sources are bundled on the fly with esbuild (a dependency of tsup), so no build
// step is needed. Rates are computed from process CPU time, not wall time, and each one is the
// median of 5 interleaved rounds, which keeps them comparable on a busy machine; compare ratios.
import { build } from 'esbuild'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as nodeZlib from 'node:zlib'
import * as pako from 'pako'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const seconds = Number(process.argv[2] ?? 0.5)

const dir = mkdtempSync(join(tmpdir(), 'zlib-micro-'))
const bundle = join(dir, 'zlib.mjs')
await build({
  entryPoints: [join(root, 'src/lib/zlib.ts')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  external: ['pako'],
  outfile: bundle,
  logLevel: 'error',
})
// Resolve 'pako' from the repository when importing the bundle from the temp directory.
const source = readFileSync(bundle, 'utf8').replace(
  /from\s+["']pako["']/g,
  `from ${JSON.stringify(pathToFileURL(join(root, 'node_modules/pako/dist/pako.mjs')).href)}`,
)
const { deflateZlibTransient: deflateZlib, inflateZlibTransient: inflateZlib } = await import(
  `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`
)
rmSync(dir, { recursive: true, force: true })

const vectors = JSON.parse(readFileSync(join(root, 'vectors/python3.accesstoken2.json'), 'utf8'))
function payload(id) {
  const v = vectors.vectors.find((x) => x.id === id)
  return new Uint8Array(Buffer.from(v.payloadHex, 'hex'))
}
const small = vectors.vectors
  .map((v) => new Uint8Array(Buffer.from(v.payloadHex, 'hex')))
  .filter((p) => p.length < 200)
const cases = [
  ['130-byte payload (1 service)', [payload('pub-at2-0129-str-rtc')]],
  ['304-byte payload (3 services)', [payload('pub-at2-0185-multi')]],
  ['1,117-byte payload (long strings)', [payload('pub-at2-0117-str-rtc')]],
  [`all ${small.length} payloads under 200 bytes, in turn`, small],
]

const PAKO_OPTS = { level: 6, windowBits: 15, memLevel: 8, legacyHash: true }

/** pako with one ZStream reused across calls (zlibDeflateReset), the fastest way to use it. */
function pakoReusedDeflater() {
  const strm = new pako.ZStream()
  pako.zlibDeflateInit2(strm, 6, 8, 15, 8, 0, true)
  const out = new Uint8Array(1 << 16)
  return (data) => {
    pako.zlibDeflateReset(strm)
    strm.input = data
    strm.next_in = 0
    strm.avail_in = data.length
    strm.output = out
    strm.next_out = 0
    strm.avail_out = out.length
    pako.zlibDeflate(strm, pako.Z_FINISH)
    return out.slice(0, strm.next_out)
  }
}

function pakoReusedInflater() {
  const strm = new pako.ZStream()
  pako.zlibInflateInit2(strm, 15)
  const out = new Uint8Array(1 << 16)
  return (data) => {
    pako.zlibInflateReset(strm)
    strm.input = data
    strm.next_in = 0
    strm.avail_in = data.length
    strm.output = out
    strm.next_out = 0
    strm.avail_out = out.length
    pako.zlibInflate(strm, pako.Z_FINISH)
    return out.slice(0, strm.next_out)
  }
}

/** Runs fn over `inputs` in turn for about `seconds` of CPU time (after a warm-up); ops/s. */
function opsPerSecond(fn, inputs) {
  let sink = 0
  let k = 0
  const next = () => inputs[k++ % inputs.length]
  for (let i = 0; i < 2000; i++) sink += fn(next()).length
  let iterations = 0
  const start = process.cpuUsage()
  let used = 0
  while (used < seconds * 1e6) {
    for (let i = 0; i < 200; i++) sink += fn(next()).length
    iterations += 200
    const d = process.cpuUsage(start)
    used = d.user + d.system
  }
  if (sink === 42) console.log('') // keep the results alive
  return (iterations * 1e6) / used
}

/** Median of `rounds` interleaved measurements for each row. */
function measure(rows, rounds = 5) {
  const results = rows.map(() => [])
  for (let r = 0; r < rounds; r++) rows.forEach(([, run], i) => results[i].push(run()))
  return results.map((xs) => xs.sort((a, b) => a - b)[Math.floor(rounds / 2)])
}

const fmt = (n) => `${Math.round(n).toLocaleString('en-US').padStart(11)} ops/s`

for (const [name, payloads] of cases) {
  const compressed = payloads.map((data) => {
    const z = deflateZlib(data).slice()
    if (Buffer.compare(Buffer.from(z), Buffer.from(pako.deflate(data, PAKO_OPTS))) !== 0) {
      throw new Error(`${name}: deflateZlib differs from pako`)
    }
    return z
  })
  const pakoDeflate = pakoReusedDeflater()
  const pakoInflate = pakoReusedInflater()
  const max = 1 << 16
  const bytes = (list) => list.reduce((n, p) => n + p.length, 0) / list.length
  console.log(
    `\n${name} (${Math.round(bytes(payloads))} bytes -> ${Math.round(bytes(compressed))} compressed)`,
  )
  const rows = [
    ['deflate  src/lib/zlib.ts', () => opsPerSecond(deflateZlib, payloads)],
    ['deflate  pako one-shot', () => opsPerSecond((d) => pako.deflate(d, PAKO_OPTS), payloads)],
    ['deflate  pako reused stream', () => opsPerSecond(pakoDeflate, payloads)],
    [
      'deflate  node:zlib deflateSync',
      () => opsPerSecond((d) => nodeZlib.deflateSync(d), payloads),
    ],
    ['inflate  src/lib/zlib.ts', () => opsPerSecond((d) => inflateZlib(d, max), compressed)],
    ['inflate  pako one-shot', () => opsPerSecond((d) => pako.inflate(d), compressed)],
    ['inflate  pako reused stream', () => opsPerSecond(pakoInflate, compressed)],
    [
      'inflate  node:zlib inflateSync',
      () => opsPerSecond((d) => nodeZlib.inflateSync(d), compressed),
    ],
  ]
  const rates = measure(rows)
  rows.forEach(([label], i) => {
    const base = label.startsWith('deflate') ? rates[0] : rates[4]
    const ratio =
      i === 0 || i === 4 ? '' : `   (src/lib/zlib.ts is ${(base / rates[i]).toFixed(1)}x)`
    console.log(`  ${label.padEnd(32)} ${fmt(rates[i])}${ratio}`)
  })
}
