// Micro-benchmark of the zlib boundary: ops/s of src/lib/zlib.ts (the pure-JS fast paths)
// against pako (one-shot, and with a reused stream) and node:zlib, on real token payloads.
//
//   node bench/zlib-micro.mjs [seconds-per-case]
//
// The TypeScript sources are bundled on the fly with esbuild (a dependency of tsup), so no build
// step is needed. Numbers are indicative only: run on an idle machine and compare ratios.
import { build } from 'esbuild'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as nodeZlib from 'node:zlib'
import * as pako from 'pako'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const seconds = Number(process.argv[2] ?? 1)

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
const { deflateZlib, inflateZlib } = await import(
  `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`
)
rmSync(dir, { recursive: true, force: true })

const vectors = JSON.parse(readFileSync(join(root, 'vectors/python3.accesstoken2.json'), 'utf8'))
function payload(id) {
  const v = vectors.vectors.find((x) => x.id === id)
  return new Uint8Array(Buffer.from(v.payloadHex, 'hex'))
}
const cases = [
  ['130-byte payload', payload('pub-at2-0129-str-rtc')],
  ['304-byte payload', payload('pub-at2-0185-multi')],
  ['1 KiB payload', payload('pub-at2-0140-str-apaas').length > 900 ? payload('pub-at2-0140-str-apaas') : null],
].filter(([, p]) => p !== null)

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

/** Runs fn for about `seconds` (after a warm-up) and returns operations per second. */
function opsPerSecond(fn, input) {
  let sink = 0
  for (let i = 0; i < 2000; i++) sink += fn(input).length
  let iterations = 0
  const start = performance.now()
  const end = start + seconds * 1000
  let now = start
  while (now < end) {
    for (let i = 0; i < 200; i++) sink += fn(input).length
    iterations += 200
    now = performance.now()
  }
  if (sink === 42) console.log('') // keep the results alive
  return (iterations * 1000) / (now - start)
}

const fmt = (n) => `${Math.round(n).toLocaleString('en-US').padStart(11)} ops/s`

for (const [name, data] of cases) {
  const compressed = deflateZlib(data)
  const reference = pako.deflate(data, PAKO_OPTS)
  if (Buffer.compare(Buffer.from(compressed), Buffer.from(reference)) !== 0) {
    throw new Error(`${name}: deflateZlib differs from pako`)
  }
  const pakoDeflate = pakoReusedDeflater()
  const pakoInflate = pakoReusedInflater()
  const max = 1 << 16
  console.log(`\n${name} (${data.length} bytes -> ${compressed.length} compressed)`)
  const rows = [
    ['deflate  src/lib/zlib.ts', () => opsPerSecond(deflateZlib, data)],
    ['deflate  pako one-shot', () => opsPerSecond((d) => pako.deflate(d, PAKO_OPTS), data)],
    ['deflate  pako reused stream', () => opsPerSecond(pakoDeflate, data)],
    ['deflate  node:zlib deflateSync', () => opsPerSecond((d) => nodeZlib.deflateSync(d), data)],
    ['inflate  src/lib/zlib.ts', () => opsPerSecond((d) => inflateZlib(d, max), compressed)],
    ['inflate  pako one-shot', () => opsPerSecond((d) => pako.inflate(d), compressed)],
    ['inflate  pako reused stream', () => opsPerSecond(pakoInflate, compressed)],
    ['inflate  node:zlib inflateSync', () => opsPerSecond((d) => nodeZlib.inflateSync(d), compressed)],
  ]
  for (const [label, run] of rows) console.log(`  ${label.padEnd(32)} ${fmt(run())}`)
}
