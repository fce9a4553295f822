// Heap over many builds: 10 million RTC publisher tokens through RtcTokenBuilder.buildTokenWithUid
// on the built library, sampling the heap after a full GC every million. A flat heap means no
// cache, pool or scratch buffer grows with use. Writes the result into bench/results.json
// ("memory"), which `npm run bench -- --readme` then shows.
//
//   npm run bench:memory              (BENCH_BUILDS=2000000 for a shorter run)
import { readFileSync, writeFileSync } from 'node:fs'

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc')
const here = new URL('.', import.meta.url)
const T = await import(new URL('../dist/index.js', here).href)

const BUILDS = Number(process.env.BENCH_BUILDS ?? 10_000_000)
const STEP = 1_000_000
const APP_ID = '970ca35de60c44645bbae8a215061b33'
// Several certificates, as a multi-app token server has, so the per-certificate cache is used.
const CERTS = Array.from({ length: 8 }, (_, i) => `5cfd2fd1755d40ecb72977518be15d3${i}`)
const channels = Array.from({ length: 256 }, (_, i) => `room-${i}`)

const heap = () => {
  globalThis.gc()
  globalThis.gc()
  return process.memoryUsage().heapUsed
}

let sink = 0
const build = (n, from) => {
  for (let i = from; i < from + n; i++) {
    sink ^= T.RtcTokenBuilder.buildTokenWithUid(
      APP_ID,
      CERTS[i & 7],
      channels[i & 255],
      1 + (i % 100_000),
      T.RtcRole.PUBLISHER,
      3600,
      3600,
    ).length
  }
}

build(200_000, 0) // warm-up: compiled code, caches and scratch buffers in place
const samples = [{ builds: 0, heapUsed: heap() }]
const started = Date.now()
for (let done = 0; done < BUILDS; done += STEP) {
  build(Math.min(STEP, BUILDS - done), done)
  samples.push({ builds: Math.min(done + STEP, BUILDS), heapUsed: heap() })
  const last = samples.at(-1)
  process.stdout.write(
    `${(last.builds / 1e6).toFixed(0).padStart(3)} M builds  heap ${(last.heapUsed / 2 ** 20).toFixed(2)} MiB\n`,
  )
}
const seconds = (Date.now() - started) / 1000

// Least-squares slope of heap against builds: bytes retained per build.
const n = samples.length
const mx = samples.reduce((s, p) => s + p.builds, 0) / n
const my = samples.reduce((s, p) => s + p.heapUsed, 0) / n
const slope =
  samples.reduce((s, p) => s + (p.builds - mx) * (p.heapUsed - my), 0) /
  samples.reduce((s, p) => s + (p.builds - mx) ** 2, 0)
const first = samples[0].heapUsed
const last = samples[n - 1].heapUsed
const min = Math.min(...samples.map((p) => p.heapUsed))
const max = Math.max(...samples.map((p) => p.heapUsed))
const mib = (b) => `${(b / 2 ** 20).toFixed(2)} MiB`
const summary = `${mib(first)} at the start, ${mib(last)} at the end (range ${mib(min)}–${mib(max)}); slope ${slope.toFixed(4)} bytes per build; ${(BUILDS / seconds / 1000).toFixed(0)}k builds/s including the GC samples.`
console.log(summary)

const url = new URL('results.json', here)
let json = {}
try {
  json = JSON.parse(readFileSync(url, 'utf8'))
} catch {}
json.memory = {
  date: new Date().toISOString(),
  node: process.version,
  builds: BUILDS,
  seconds,
  bytesPerBuild: slope,
  samples,
  summary,
}
writeFileSync(url, JSON.stringify(json, null, 2) + '\n')
console.log('Wrote memory into bench/results.json')
export { sink }
