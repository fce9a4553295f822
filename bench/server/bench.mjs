// `npm run bench:server`: a load test of `token007 serve` (authenticated with an API key) against
// a baseline Express + agora-token server (no authentication), side by side in one run, each in
// its own process on 127.0.0.1, driven by autocannon from this process. Bounded: each run stops
// after BENCH_REQUESTS requests (default 100,000) or BENCH_TIME_LIMIT seconds (default 120).
// Prints a table; writes results.json and results.svg next to this file.
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { verifyToken } from '../../dist/index.js'
import { renderServerChart } from './chart.mjs'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100_000)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const TIME_LIMIT_S = Number(process.env.BENCH_TIME_LIMIT ?? 120)
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 3)

const APP_ID = '970ca35de60c44645bbae8a215061b33'
const CERTIFICATE = '5cfd2fd1755d40ecb72977518be15d3b'
const API_KEY = `bench-${crypto.randomUUID()}`

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Resident set size of a process in MiB, from /proc. */
function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1])
  return Math.round((kib / 1024) * 10) / 10
}

const SERVERS = [
  {
    name: 'Express + agora-token (no auth)',
    key: 'baseline',
    command: [fileURLToPath(new URL('baseline-express.mjs', import.meta.url))],
    env: { APP_ID, APP_CERTIFICATE: CERTIFICATE },
    headers: { 'content-type': 'application/json' },
    body: { channelName: 'bench', uid: 42, role: 'publisher' },
  },
  {
    name: 'token007 serve (API key, access log)',
    key: 'token007',
    command: [CLI, 'serve', '--host', '127.0.0.1'],
    env: { AGORA_APP_ID: APP_ID, AGORA_APP_CERTIFICATE: CERTIFICATE, TOKEN007_API_KEYS: API_KEY },
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    body: { type: 'rtc', channelName: 'bench', uid: 42, role: 'publisher' },
  },
]

async function start(server) {
  const port = await freePort()
  const args =
    server.key === 'token007'
      ? [...server.command, '--port', String(port)]
      : [...server.command, String(port)]
  // The access log goes to /dev/null: written, as in production, but not read by this process.
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, NODE_ENV: 'production', ...server.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}/token`
  const deadline = Date.now() + 20_000
  for (;;) {
    try {
      const r = await fetch(url, {
        method: 'POST',
        headers: server.headers,
        body: JSON.stringify(server.body),
      })
      const { token } = await r.json()
      // Both servers must hand out a real token for the requested channel and uid.
      verifyToken(token, CERTIFICATE, {
        appId: APP_ID,
        require: { service: 'rtc', channelName: 'bench', uid: 42, privilege: 'publishVideoStream' },
      })
      return { child, url }
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${server.name} did not start: ${error.message}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

function load(url, server, options) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: server.headers,
        body: JSON.stringify(server.body),
        connections: CONNECTIONS,
        timeout: 10,
        ...options,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    )
    const stop = setTimeout(() => instance.stop(), TIME_LIMIT_S * 1000)
    instance.on('done', () => clearTimeout(stop))
  })
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2)

/** One measured run against a started server. */
async function run(server, running) {
  const r = await load(running.url, server, { amount: REQUESTS })
  return {
    requests: r.requests.total,
    errors: r.errors + r.timeouts + r.non2xx,
    seconds: r.duration,
    rps: Math.round(r.requests.total / r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: Math.round(r.latency.average * 100) / 100,
    rss: rssMiB(running.child.pid),
  }
}

function table(rows) {
  const head = [
    'server',
    'round',
    'requests',
    'errors',
    'req/s',
    'p50 ms',
    'p99 ms',
    'mean ms',
    'RSS MiB after',
  ]
  const lines = rows.flatMap((row) =>
    row.runs.map((r, i) => [
      row.name,
      String(i + 1),
      String(r.requests),
      String(r.errors),
      String(r.rps),
      String(r.p50),
      String(r.p99),
      String(r.mean),
      String(r.rss),
    ]),
  )
  return [head, head.map(() => '---'), ...lines].map((l) => `| ${l.join(' | ')} |`).join('\n')
}

const mean = (values) => Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10

// Both servers run for the whole benchmark (an idle one costs nothing), so memory is followed
// across every round. Rounds alternate the order (A B, B A, …) so that drift in a shared
// machine's load does not favour one side.
const running = []
for (const server of SERVERS) running.push(await start(server))
const rows = SERVERS.map((server, i) => ({
  name: server.name,
  rssStart: rssMiB(running[i].child.pid),
  runs: [],
}))
try {
  for (let i = 0; i < SERVERS.length; i++) {
    await load(running[i].url, SERVERS[i], { duration: WARMUP_S })
    rows[i].rssWarm = rssMiB(running[i].child.pid)
  }
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0]
    for (const i of order) {
      process.stderr.write(`round ${round + 1}: ${SERVERS[i].name}… `)
      const r = await run(SERVERS[i], running[i])
      process.stderr.write(`${r.rps} req/s\n`)
      rows[i].runs.push(r)
    }
  }
} finally {
  for (const { child } of running) {
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('close', resolve))
  }
}
for (const row of rows) {
  row.rps = mean(row.runs.map((r) => r.rps))
  row.p50 = mean(row.runs.map((r) => r.p50))
  row.p99 = mean(row.runs.map((r) => r.p99))
  row.rssEnd = row.runs.at(-1).rss
}
const [baseline, ours] = rows
const ratio = Math.round((ours.rps / baseline.rps) * 100) / 100
const machine = `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}, ${os.platform()}`
const summary = {
  date: new Date().toISOString(),
  machine,
  connections: CONNECTIONS,
  requestsPerRun: REQUESTS,
  rounds: ROUNDS,
  rows,
  ratio,
}
console.log(table(rows))
for (const row of rows) {
  console.log(
    `${row.name}: mean ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms; RSS MiB ${row.rssStart} at start, ${row.rssWarm} warm, ${row.runs.map((r) => r.rss).join(' → ')} after each round`,
  )
}
console.log(`\ntoken007 / baseline requests/s: ${ratio}×; p99 ${ours.p99} ms vs ${baseline.p99} ms`)
console.log(`${CONNECTIONS} connections, ${machine}`)
// Only a full-size run replaces the recorded results (a short CI run only prints its table).
if (REQUESTS >= 100_000) {
  writeFileSync(`${HERE}results.json`, `${JSON.stringify(summary, null, 2)}\n`)
  writeFileSync(`${HERE}results.svg`, renderServerChart(summary))
}
const ok = rows.every((row) => row.runs.every((r) => r.errors === 0 && r.requests >= REQUESTS))
if (!ok) {
  console.error('FAILED: a run had errors or fewer requests than asked')
  process.exitCode = 1
}
