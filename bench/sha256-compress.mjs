// Micro-benchmark: the unrolled SHA-256 compression function the library runs
// (src/lib/sha256-compress.ts, generated) against the table-driven reference it is generated
// from (scripts/sha256-reference.ts), in one interleaved run.
//
//   nice node bench/sha256-compress.mjs [seconds-per-measurement]
//
// Both are bundled on the fly with esbuild (a dependency of tsup). Rates come from process CPU
// time, each the median of 7 interleaved rounds; compare the ratio, not the absolute numbers.
import { build } from 'esbuild'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const seconds = Number(process.argv[2] ?? 0.5)

async function load(contents) {
  const out = await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'error',
  })
  return import(
    `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`
  )
}

const lib = await load("export { compress, SHA256_IV } from './src/lib/sha256.ts'")
const ref = await load("export { compressReference } from './scripts/sha256-reference.ts'")

// 256 pseudo-random blocks, the same for both.
const blocks = Array.from({ length: 256 }, (_, i) => {
  const b = new Int32Array(16)
  for (let j = 0; j < 16; j++) b[j] = Math.imul(i * 16 + j + 1, 0x9e3779b1)
  return b
})

function rate(compress) {
  const state = lib.SHA256_IV.slice()
  let n = 0
  const start = process.cpuUsage()
  let elapsed = 0
  while (elapsed < seconds * 1e6) {
    for (const b of blocks) compress(state, b)
    n += blocks.length
    const u = process.cpuUsage(start)
    elapsed = u.user + u.system
  }
  if (state[0] === 0x12345678) console.log('') // keep the result alive
  return n / (elapsed / 1e6)
}

const rows = [
  ['unrolled (generated)', () => rate(lib.compress)],
  ['table-driven reference', () => rate(ref.compressReference)],
]
const results = rows.map(() => [])
for (let round = 0; round < 7; round++) rows.forEach(([, run], i) => results[i].push(run()))
const medians = results.map((xs) => xs.sort((a, b) => a - b)[3])
for (const [i, [name]] of rows.entries()) {
  console.log(
    `${name.padEnd(24)} ${Math.round(medians[i]).toLocaleString('en-US').padStart(11)} blocks/s`,
  )
}
console.log(`unrolled / table-driven: ${(medians[0] / medians[1]).toFixed(2)}x`)
