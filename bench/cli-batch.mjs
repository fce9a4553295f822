// `token007 build rtc --count N -o file` against the in-process build rate of the same tokens:
// how much of the library's speed the command line keeps when it streams a load-test fleet's
// tokens to a file (target: at least half).
//
//   node bench/cli-batch.mjs [N]      (after npm run build; N defaults to 100000)
//
// bench.mjs runs it too (BENCH_CLI_COUNT sets N there). Both sides build RTC publisher tokens
// for channel load-{i} and uid {i+1} with fresh salts; the in-process side calls rtcToken from
// dist/index.js in a loop, the CLI side is `node dist/cli.js` as a user runs it (process start,
// argument parsing, templates, JSON lines, file writes included). Rounds alternate between the
// two, and the median of each is taken.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const APP_ID = '970ca35de60c44645bbae8a215061b33'
const CERT = '5cfd2fd1755d40ecb72977518be15d3b'

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** Tokens per second of `count` rtcToken calls in this process. */
function inProcessRate(T, count) {
  let sink = 0
  const started = performance.now()
  for (let i = 0; i < count; i++) {
    sink ^= T.rtcToken({
      appId: APP_ID,
      appCertificate: CERT,
      channelName: `load-${i}`,
      uid: i + 1,
      role: 'publisher',
    }).length
  }
  const seconds = (performance.now() - started) / 1000
  if (sink === -1) console.log('')
  return count / seconds
}

/** Tokens per second of `token007 build rtc --count <count> -o <file>`, wall clock. */
function cliRate(count, file) {
  const started = performance.now()
  execFileSync(
    process.execPath,
    [
      join(root, 'dist', 'cli.js'),
      'build',
      'rtc',
      '--count',
      String(count),
      '--channel',
      'load-{i}',
      '--uid',
      '{i+1}',
      '--role',
      'publisher',
      '-o',
      file,
    ],
    { env: { PATH: process.env.PATH, AGORA_APP_ID: APP_ID, AGORA_APP_CERTIFICATE: CERT } },
  )
  const seconds = (performance.now() - started) / 1000
  if (statSync(file).size < count * 200) throw new Error(`${file} is too short`)
  rmSync(file)
  return count / seconds
}

/**
 * Measures both rates in `rounds` alternating rounds; resolves to tokens/s of each (medians)
 * and their ratio.
 */
export async function measureCliBatch({ count = 100_000, rounds = 3 } = {}) {
  const T = await import(new URL('dist/index.js', `file://${root}/`).href)
  const dir = mkdtempSync(join(tmpdir(), 'token007-bench-'))
  inProcessRate(T, Math.min(count, 20_000)) // warm-up
  const inProcess = []
  const cli = []
  try {
    for (let r = 0; r < rounds; r++) {
      inProcess.push(inProcessRate(T, count))
      cli.push(cliRate(count, join(dir, `tokens-${r}.jsonl`)))
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const result = {
    count,
    rounds,
    inProcessPerSecond: median(inProcess),
    cliPerSecond: median(cli),
  }
  result.ratio = result.cliPerSecond / result.inProcessPerSecond
  return result
}

/** One line for the bench output. */
export function describeCliBatch(r) {
  return (
    `CLI build --count ${r.count} -o file: ${Math.round(r.cliPerSecond)} tokens/s; ` +
    `in-process rtcToken: ${Math.round(r.inProcessPerSecond)} tokens/s; ` +
    `ratio ${r.ratio.toFixed(2)} (target ≥ 0.5: ${r.ratio >= 0.5 ? 'met' : 'NOT met'}); median of ${r.rounds} rounds`
  )
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2] ?? 100_000)
  console.log(describeCliBatch(await measureCliBatch({ count })))
}
