// Long differential run of the zlib boundary against pako (C zlib 1.2.13 in JavaScript):
//   - 2,000,000 payloads through deflateZlib, which must equal pako's legacyHash deflate (those
//     above WASM_MATCHER_MIN_INPUT on both match finders, WebAssembly and JavaScript);
//   - 1,000,000 damaged streams and 250,000 hand-built streams through inflateZlib, which must
//     give pako's verdict (same bytes, malformed, or too large).
// Run with `npm run test:zlib-long` (several minutes). The counts are printed at the end.
// ZLIB_LONG_SCALE (default 1) scales every count, e.g. 0.01 for a quick check; ZLIB_LONG_SEED
// changes the seed.
import { expect, it } from 'vitest'
import { DEFLATE_MAX_INPUT } from '../../src/lib/zlib/deflate.js'
import {
  setWasmMatcherEnabled,
  WASM_MATCHER_MIN_INPUT,
  wasmMatcherState,
} from '../../src/lib/zlib/wasm-matcher.js'
import { deflateZlib, inflateZlib } from '../helpers/zlib.js'
import {
  PAYLOAD_KINDS,
  Rng,
  corruptStream,
  craftedStream,
  describe as describeVerdict,
  hex,
  pakoVariantStream,
  randomPayload,
  referenceDeflate,
  referenceInflate,
  sameBytes,
  matchesReference,
  tokenLikePayload,
  verdictOf,
} from '../helpers/zlib-corpus.js'

const SCALE = Number(process.env.ZLIB_LONG_SCALE ?? 1)
const SEED = Number(process.env.ZLIB_LONG_SEED ?? 20240601)
const DEFLATE_PAYLOADS = Math.round(2_000_000 * SCALE)
const DAMAGED_STREAMS = Math.round(1_000_000 * SCALE)
const CRAFTED_STREAMS = Math.round(250_000 * SCALE)

function progress(label: string, done: number, total: number, started: number): void {
  const seconds = (performance.now() - started) / 1000
  console.log(
    `${label}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} (${seconds.toFixed(0)} s)`,
  )
}

it(`deflate: ${DEFLATE_PAYLOADS.toLocaleString('en-US')} payloads byte-identical to pako legacyHash`, () => {
  const rng = new Rng(SEED)
  const byKind: Record<string, number> = {}
  const bySize = {
    '0-255': 0,
    '256-2047': 0,
    '2048-16383': 0,
    [`16384-${DEFLATE_MAX_INPUT}`]: 0,
    'above (pako)': 0,
  }
  const failures: string[] = []
  const started = performance.now()
  for (let i = 0; i < DEFLATE_PAYLOADS; i++) {
    let kind: string
    let data: Uint8Array
    if (i % 1000 === 999) {
      // A large one: multi-block and window-distance paths, and the fallback above the bound.
      kind = 'large'
      const n = rng.range(2048, DEFLATE_MAX_INPUT + 3000)
      const p = randomPayload(rng, Math.min(n, 20000), rng.pick(PAYLOAD_KINDS))
      data = new Uint8Array(n)
      for (let k = 0; k < n; k++)
        data[k] = p.length ? p[k % p.length] ^ (rng.chance(0.02) ? rng.int(256) : 0) : 0
    } else if (i % 3 === 0) {
      kind = 'token'
      data = tokenLikePayload(rng)
    } else {
      kind = rng.pick(PAYLOAD_KINDS)
      data = randomPayload(rng, 2000, kind as (typeof PAYLOAD_KINDS)[number])
    }
    byKind[kind] = (byKind[kind] ?? 0) + 1
    const n = data.length
    if (n < 256) bySize['0-255']++
    else if (n < 2048) bySize['256-2047']++
    else if (n < 16384) bySize['2048-16383']++
    else if (n <= DEFLATE_MAX_INPUT) bySize[`16384-${DEFLATE_MAX_INPUT}`]++
    else bySize['above (pako)']++
    const ours = deflateZlib(data)
    const ref = referenceDeflate(data)
    if (!sameBytes(ours, ref) && failures.length < 5)
      failures.push(`${kind} ${n} bytes: ${hex(data.subarray(0, 300))}`)
    if (n > WASM_MATCHER_MIN_INPUT && n <= DEFLATE_MAX_INPUT) {
      // Above the threshold deflateZlib took the WebAssembly match finder: the JavaScript one too.
      setWasmMatcherEnabled(false)
      const js = deflateZlib(data)
      setWasmMatcherEnabled(true)
      if (!sameBytes(js, ref) && failures.length < 5)
        failures.push(`${kind} ${n} bytes (JavaScript matcher): ${hex(data.subarray(0, 300))}`)
    }
    if ((i + 1) % 250_000 === 0) progress('deflate', i + 1, DEFLATE_PAYLOADS, started)
  }
  expect(wasmMatcherState()).toBe('loaded')
  console.log('deflate payloads by kind', byKind)
  console.log('deflate payloads by size', bySize)
  console.log(
    `deflate: ${DEFLATE_PAYLOADS.toLocaleString('en-US')} compared, ${failures.length} differences`,
  )
  expect(failures).toEqual([])
})

it(`inflate: ${DAMAGED_STREAMS.toLocaleString('en-US')} damaged streams with pako's verdict`, () => {
  const rng = new Rng(SEED + 1)
  const verdicts: Record<string, number> = {}
  const failures: string[] = []
  const started = performance.now()
  let base = deflateZlib(tokenLikePayload(rng))
  for (let i = 0; i < DAMAGED_STREAMS; i++) {
    if (i % 16 === 0) {
      const data = rng.chance(0.4)
        ? tokenLikePayload(rng)
        : randomPayload(rng, i % 1600 === 0 ? 30000 : 2000)
      base = rng.chance(0.5) ? deflateZlib(data) : pakoVariantStream(rng, data)
    }
    const stream = corruptStream(rng, base)
    const max = rng.chance(0.85) ? 1 << 16 : rng.int(3000)
    const ours = verdictOf(() => inflateZlib(stream, max))
    const ref = referenceInflate(stream, max)
    verdicts[ref.kind] = (verdicts[ref.kind] ?? 0) + 1
    if (
      !matchesReference(ours, ref, stream, max, (x) => verdictOf(() => inflateZlib(x, max))) &&
      failures.length < 5
    ) {
      failures.push(
        `${hex(stream)} max ${max}: ours ${describeVerdict(ours)}, pako ${describeVerdict(ref)}`,
      )
    }
    if ((i + 1) % 250_000 === 0) progress('damaged streams', i + 1, DAMAGED_STREAMS, started)
  }
  console.log('damaged streams by pako verdict', verdicts)
  console.log(
    `inflate: ${DAMAGED_STREAMS.toLocaleString('en-US')} damaged streams compared, ${failures.length} differences`,
  )
  expect(failures).toEqual([])
})

it(`inflate: ${CRAFTED_STREAMS.toLocaleString('en-US')} hand-built streams with pako's verdict`, () => {
  const rng = new Rng(SEED + 2)
  const verdicts: Record<string, number> = {}
  const failures: string[] = []
  const started = performance.now()
  for (let i = 0; i < CRAFTED_STREAMS; i++) {
    const stream = craftedStream(rng)
    const max = rng.chance(0.8) ? 1 << 16 : rng.int(100)
    const ours = verdictOf(() => inflateZlib(stream, max))
    const ref = referenceInflate(stream, max)
    verdicts[ref.kind] = (verdicts[ref.kind] ?? 0) + 1
    if (
      !matchesReference(ours, ref, stream, max, (x) => verdictOf(() => inflateZlib(x, max))) &&
      failures.length < 5
    ) {
      failures.push(
        `${hex(stream)} max ${max}: ours ${describeVerdict(ours)}, pako ${describeVerdict(ref)}`,
      )
    }
    if ((i + 1) % 50_000 === 0) progress('hand-built streams', i + 1, CRAFTED_STREAMS, started)
  }
  console.log('hand-built streams by pako verdict', verdicts)
  console.log(
    `inflate: ${CRAFTED_STREAMS.toLocaleString('en-US')} hand-built streams compared, ${failures.length} differences`,
  )
  expect(failures).toEqual([])
})
