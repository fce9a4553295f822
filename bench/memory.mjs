// Heap over many builds and many verifications: 10 million RTC publisher tokens through
// RtcTokenBuilder.buildTokenWithUid, then 10 million verifyToken calls over a pool of tokens from
// other seconds (so the per-certificate cache is read but never hit), on the built library,
// sampling the heap after a full GC every million. A flat heap means no cache, pool or scratch
// buffer grows with use. Writes the result into bench/results.json ("memory"), which
// `npm run bench -- --readme` then shows.
//
//   npm run bench:memory              (BENCH_BUILDS=2000000 for a shorter run; it also sets the
//                                      number of verifications)
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
const NOW = Math.floor(Date.now() / 1000)

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

// 1,024 tokens of 8 certificates, each from another second, RTC alone or RTC + RTM.
const pool = Array.from({ length: 1024 }, (_, i) => {
  const account = `user-${i}@example.com`
  const services = [
    {
      type: 'rtc',
      channelName: channels[i & 255],
      uid: i % 3 === 0 ? account : 1 + i,
      privileges: { joinChannel: 86_400, publishAudioStream: 86_400 },
    },
  ]
  if (i % 3 === 0) services.push({ type: 'rtm', userId: account, privileges: { login: 86_400 } })
  return T.buildToken({
    appId: APP_ID,
    appCertificate: CERTS[i & 7],
    expire: 86_400,
    issueTs: NOW - 1 - i,
    services,
  })
})
const verify = (n, from) => {
  for (let i = from; i < from + n; i++) sink ^= T.verifyToken(pool[i & 1023], CERTS[i & 7]).salt
}

const mib = (b) => `${(b / 2 ** 20).toFixed(2)} MiB`

/** Runs `count` operations in steps of a million, sampling the heap after each. */
function measure(what, run, count) {
  run(200_000, 0) // warm-up: compiled code, caches and scratch buffers in place
  const samples = [{ ops: 0, heapUsed: heap() }]
  const started = Date.now()
  for (let done = 0; done < count; done += STEP) {
    run(Math.min(STEP, count - done), done)
    samples.push({ ops: Math.min(done + STEP, count), heapUsed: heap() })
    const last = samples.at(-1)
    process.stdout.write(
      `${(last.ops / 1e6).toFixed(0).padStart(3)} M ${what}  heap ${mib(last.heapUsed)}\n`,
    )
  }
  const seconds = (Date.now() - started) / 1000
  // Least-squares slope of heap against operations: bytes retained per operation.
  const n = samples.length
  const mx = samples.reduce((s, p) => s + p.ops, 0) / n
  const my = samples.reduce((s, p) => s + p.heapUsed, 0) / n
  const slope =
    samples.reduce((s, p) => s + (p.ops - mx) * (p.heapUsed - my), 0) /
    samples.reduce((s, p) => s + (p.ops - mx) ** 2, 0)
  const first = samples[0].heapUsed
  const last = samples[n - 1].heapUsed
  const min = Math.min(...samples.map((p) => p.heapUsed))
  const max = Math.max(...samples.map((p) => p.heapUsed))
  const summary = `${(count / 1e6).toFixed(0)} million ${what}: ${mib(first)} at the start, ${mib(last)} at the end (range ${mib(min)}–${mib(max)}); slope ${slope.toFixed(4)} bytes per operation; ${(count / seconds / 1000).toFixed(0)}k ${what}/s including the GC samples.`
  console.log(summary)
  return { count, seconds, bytesPerOperation: slope, samples, summary }
}

const builds = measure('builds', build, BUILDS)
const verifies = measure('verifications', verify, BUILDS)

const url = new URL('results.json', here)
let json = {}
try {
  json = JSON.parse(readFileSync(url, 'utf8'))
} catch {}
json.memory = {
  date: new Date().toISOString(),
  node: process.version,
  builds,
  verifies,
  summary: `${builds.summary} ${verifies.summary}`,
}
writeFileSync(url, JSON.stringify(json, null, 2) + '\n')
console.log('Wrote memory into bench/results.json')
export { sink }
