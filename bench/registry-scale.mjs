// Scale of the Redis registry: records REGISTRY_COUNT entries (default 1,000,000) shaped like the
// token server's into a fresh redis-server (loopback, free port, no persistence), reports Redis
// memory per entry, walks a tag holding a tenth of them page by page, and measures
// verifyWithRegistry against plain verifyToken on the same machine in the same run.
//
//   npm run bench:registry                  (REGISTRY_COUNT=100000 for a shorter run)
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const here = new URL('.', import.meta.url)
const T = await import(new URL('../dist/index.js', here).href)
const R = await import(new URL('../dist/registry.js', here).href)
const { createClient } = await import('@redis/client')

const COUNT = Number(process.env.REGISTRY_COUNT ?? 1_000_000)
const IN_FLIGHT = 128
const PAGE = 1000
const APP_ID = '970ca35de60c44645bbae8a215061b33'
const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

function freePort() {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'token007-scale-'))
  const port = await freePort()
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      if (out.includes('Ready to accept connections')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`redis-server exited ${code}`)))
  })
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await new Promise((r) => {
        child.once('exit', r)
        child.kill('SIGTERM')
      })
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(22))
  let id = ''
  for (const b of bytes) id += ALPHABET[b & 63]
  return id
}

const now = Date.now()
/**
 * An entry like the token server's: RTC for one of 100,000 users (ten tokens each over the run) in
 * one of 10,000 channels, two tags (a tenant, and vip for one in ten), a correlation id on half,
 * a label on one in ten, lifetimes of 1 h to 24 h.
 */
function entry(i) {
  const issuedAt = Math.floor((now - (COUNT - i) * (3_600_000 / COUNT)) / 1000) * 1000
  const e = {
    id: randomId(),
    type: 'rtc',
    appId: APP_ID,
    channelName: `room-${i % 10_000}`,
    uid: String(100_000 + (i % 100_000)),
    issuedAt: new Date(issuedAt),
    expiresAt: new Date(issuedAt + (3600 + (i % 24) * 3600) * 1000),
    tags: [`tenant-${i % 100}`, i % 10 === 0 ? 'vip' : 'standard'],
    issuedTo: `api-key:${1 + (i % 3)}`,
  }
  if (i % 2 === 0) e.correlationId = `req-${i}`
  if (i % 10 === 0) e.label = `camera ${i}`
  return e
}

const usedMemory = async (raw) => Number(/used_memory:(\d+)/.exec(await raw.info('memory'))[1])
const fmt = (n) => Math.round(n).toLocaleString('en-US')

const redis = await startRedis()
const raw = createClient({ url: redis.url })
await raw.connect()
const registry = R.createRedisRegistry({ url: redis.url, prefix: 'scale:', timeoutMs: 60_000 })
try {
  await registry.ping()
  const before = await usedMemory(raw)
  let next = 0
  const started = performance.now()
  const workers = Array.from({ length: IN_FLIGHT }, async () => {
    while (next < COUNT) {
      const i = next++
      await registry.record(entry(i))
      if (i > 0 && i % 200_000 === 0) process.stderr.write(`  recorded ${fmt(i)}\n`)
    }
  })
  await Promise.all(workers)
  const recordSeconds = (performance.now() - started) / 1000
  const after = await usedMemory(raw)
  const keys = await raw.dbSize()

  // Walk one tag (a tenth of the entries) page by page.
  let pages = 0
  let items = 0
  let cursor
  const walkStart = performance.now()
  const firstPageStart = performance.now()
  let firstPageMs = 0
  do {
    const page = await registry.list({ tag: 'vip' }, { limit: PAGE, cursor })
    if (pages === 0) firstPageMs = performance.now() - firstPageStart
    pages++
    items += page.items.length
    cursor = page.nextCursor
  } while (cursor)
  const walkSeconds = (performance.now() - walkStart) / 1000

  // verifyWithRegistry vs verifyToken on real tokens recorded among the million.
  const tokens = []
  for (let i = 0; i < 1000; i++) {
    const token = T.rtcToken({
      appId: APP_ID,
      appCertificate: CERT,
      channelName: `room-${i}`,
      uid: i + 1,
      role: 'publisher',
    })
    await registry.record(R.entryFromToken(token, { issuedTo: 'bench' }))
    tokens.push(token)
  }
  const seconds = 3
  let plain = 0
  let end = performance.now() + seconds * 1000
  while (performance.now() < end) T.verifyToken(tokens[plain++ % tokens.length], CERT)
  let withRegistry = 0
  end = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (performance.now() < end)
        await R.verifyWithRegistry(tokens[withRegistry++ % tokens.length], CERT, registry)
    }),
  )
  const result = {
    entries: COUNT,
    recordPerSecond: COUNT / recordSeconds,
    redisBytes: after - before,
    bytesPerEntry: (after - before) / COUNT,
    redisKeys: keys,
    tagWalk: { items, pages, seconds: walkSeconds, firstPageMs },
    verifyPerSecond: plain / seconds,
    verifyWithRegistryPerSecond: withRegistry / seconds,
  }
  console.log(JSON.stringify(result, null, 2))
  console.log(`
| measure | value |
| --- | --- |
| entries recorded | ${fmt(COUNT)} (${fmt(result.recordPerSecond)}/s, ${IN_FLIGHT} in flight) |
| Redis memory | ${fmt(result.redisBytes / 1048576)} MiB, **${fmt(result.bytesPerEntry)} bytes per entry** (${fmt(keys)} keys) |
| list by tag, ${PAGE} per page | ${fmt(items)} entries in ${pages} pages, ${result.tagWalk.seconds.toFixed(1)} s (first page ${firstPageMs.toFixed(0)} ms) |
| verifyToken | ${fmt(result.verifyPerSecond)}/s (one core) |
| verifyWithRegistry (Redis on loopback) | ${fmt(result.verifyWithRegistryPerSecond)}/s (64 in flight) |
`)
} finally {
  await registry.close()
  await raw.close()
  await redis.stop()
}
