// The WebAssembly match finder (src/lib/zlib/wasm-matcher.ts, compiled from
// assembly/zlib-matcher.ts): the committed module is what its source compiles to; on inputs
// above its threshold (every token's payload) both match finders give pako's bytes (legacyHash: C zlib 1.2.13 at its defaults);
// and where WebAssembly is missing or refuses the module, deflate falls back to the JavaScript
// path silently, for good.
//
// Everything is seeded. ZLIB_CORPUS_SCALE (default 0.1, 1 in `npm run test:zlib-long`) scales
// the counts.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { compileMatcher, generateModule, TARGET } from '../../../scripts/generate-wasm-matcher.mjs'
import { adler32 } from '../../../src/lib/zlib/adler32.js'
import { DEFLATE_MAX_INPUT, deflateView } from '../../../src/lib/zlib/deflate.js'
import {
  forgetWasmMatcher,
  setWasmMatcherEnabled,
  WASM_MATCHER_MIN_INPUT,
  type WasmMatcher,
  wasmMatcher,
  wasmMatcherState,
} from '../../../src/lib/zlib/wasm-matcher.js'
import { hex, randomPayload, referenceDeflate, Rng, sameBytes } from '../../helpers/zlib-corpus.js'

const SCALE = Number(process.env.ZLIB_CORPUS_SCALE ?? 0.1)
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE))

/** deflateView on one path, copied out (the next call reuses the buffer). */
function deflateOn(wasm: boolean, data: Uint8Array): Uint8Array {
  setWasmMatcherEnabled(wasm)
  const out = deflateView(data)
  if (out === undefined) throw new Error(`no deflate for ${data.length} bytes`)
  // Inputs above the threshold load the module (or find it loaded) unless the path is off.
  const state = wasmMatcherState()
  if (!wasm) expect(state).toBe('off')
  else if (data.length > WASM_MATCHER_MIN_INPUT) expect(state).toBe('loaded')
  return out.slice()
}

/** Both paths against pako on `data`; a description when either differs. */
function mismatch(data: Uint8Array, what: string): string | undefined {
  const ref = referenceDeflate(data)
  const wasm = deflateOn(true, data)
  const js = deflateOn(false, data)
  if (sameBytes(wasm, ref) && sameBytes(js, ref)) return undefined
  return `${what} (${data.length} bytes, wasm ${sameBytes(wasm, ref) ? 'ok' : 'differs'}, js ${sameBytes(js, ref) ? 'ok' : 'differs'}): ${hex(data.subarray(0, 200))}…`
}

const hexDigits = (rng: Rng, n: number) => {
  let s = ''
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[rng.int(16)]
  return s
}

/** An RTM2-like payload of exactly n bytes: u16-length-prefixed `chan-<24 hex>` names. */
function rtm2Names(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n)
  const uuids = rng.chance(0.3)
  let p = 0
  while (p < n) {
    const name = uuids
      ? `${hexDigits(rng, 8)}-${hexDigits(rng, 4)}-4${hexDigits(rng, 3)}-a${hexDigits(rng, 3)}-${hexDigits(rng, 12)}`
      : `chan-${hexDigits(rng, 24)}`
    const bytes = [name.length, 0, ...new TextEncoder().encode(name)]
    for (const b of bytes) if (p < n) out[p++] = b
  }
  return out
}

/** A payload of exactly n bytes of the given kind. */
function payload(rng: Rng, n: number, kind: string): Uint8Array {
  switch (kind) {
    case 'rtm2':
      return rtm2Names(rng, n)
    case 'zeros':
      return new Uint8Array(n)
    case 'random':
      return rng.bytes(n)
    case 'period': {
      // A short pattern repeated to the end: matches of 258 and matches cut by the input's end.
      const pattern = rng.bytes(rng.range(1, 12))
      return Uint8Array.from({ length: n }, (_, i) => pattern[i % pattern.length])
    }
    default: {
      // A generated payload tiled to n bytes, with a little noise so it is not one long match.
      const p = randomPayload(rng, Math.max(n, 64), kind as 'repeats')
      return Uint8Array.from({ length: n }, (_, i) =>
        p.length ? p[i % p.length] ^ (rng.chance(0.01) ? 1 : 0) : 0,
      )
    }
  }
}

const KINDS = ['rtm2', 'random', 'zeros', 'period', 'repeats', 'text', 'low-entropy', 'records']

afterEach(() => {
  vi.unstubAllGlobals()
  setWasmMatcherEnabled(true)
  forgetWasmMatcher()
})

describe('the WebAssembly match finder', () => {
  it(`${TARGET} is what scripts/generate-wasm-matcher.mjs compiles from assembly/zlib-matcher.ts`, async () => {
    const committed = readFileSync(
      fileURLToPath(new URL(`../../../${TARGET}`, import.meta.url)),
      'utf8',
    )
    expect(generateModule(await compileMatcher())).toBe(committed)
  })

  it('is loaded on the first input above the threshold, not before', () => {
    forgetWasmMatcher()
    deflateView(new Uint8Array(WASM_MATCHER_MIN_INPUT).fill(7))
    expect(wasmMatcherState()).toBe('unloaded')
    deflateView(new Uint8Array(WASM_MATCHER_MIN_INPUT + 1).fill(7))
    expect(wasmMatcherState()).toBe('loaded')
  })

  it('gives the bytes of pako on both paths, at every size around the threshold', () => {
    const rng = new Rng(0x3a5e0001)
    const failures: string[] = []
    const step = SCALE >= 1 ? 1 : 3
    for (let n = WASM_MATCHER_MIN_INPUT - 20; n <= WASM_MATCHER_MIN_INPUT + 40; n += step) {
      const kind = KINDS[n % KINDS.length]
      const failure = mismatch(payload(rng, n, kind), kind)
      if (failure !== undefined && failures.length < 5) failures.push(failure)
    }
    expect(failures).toEqual([])
  })

  it(`gives the bytes of pako on both paths: ${scaled(600)} inputs of ${WASM_MATCHER_MIN_INPUT + 1} bytes to DEFLATE_MAX_INPUT of every kind, several blocks`, () => {
    const rng = new Rng(0x3a5e0002)
    const failures: string[] = []
    // Block boundaries (16,383 symbols: at 16,383 bytes of literals), the window's MAX_DIST,
    // and the largest input.
    const sizes = [1025, 4096, 8000, 16_382, 16_383, 16_384, 16_385, 32_506, 32_507, 49_150]
    sizes.push(60_000, DEFLATE_MAX_INPUT - 1, DEFLATE_MAX_INPUT)
    for (let i = 0, n = scaled(600); i < n; i++)
      sizes.push(
        rng.chance(0.5)
          ? rng.range(WASM_MATCHER_MIN_INPUT + 1, 10_000)
          : rng.range(10_000, DEFLATE_MAX_INPUT),
      )
    sizes.forEach((n, i) => {
      const kind = KINDS[i % KINDS.length]
      const failure = mismatch(payload(rng, n, kind), kind)
      if (failure !== undefined && failures.length < 5) failures.push(failure)
    })
    expect(failures).toEqual([])
  })

  it('gives the bytes of pako on both paths for inputs inside larger buffers, at every offset, after longer inputs', () => {
    // The input is copied into wasm memory, whose bytes past the input are an earlier input's:
    // a match must never run into them.
    const rng = new Rng(0x3a5e0003)
    const failures: string[] = []
    for (let i = 0, n = scaled(200); i < n; i++) {
      const p = payload(rng, rng.range(WASM_MATCHER_MIN_INPUT + 1, 20_000), rng.pick(KINDS))
      const offset = rng.int(8)
      const host = new Uint8Array(offset + p.length + rng.int(8)).fill(p[p.length - 1])
      host.set(p, offset)
      // The same bytes after the input as at its end, in the caller's buffer and, from a longer
      // input first, in wasm memory: a comparison that read past the end would find them.
      const longer = new Uint8Array(p.length + 300)
      longer.set(p)
      longer.fill(p[p.length - 1], p.length)
      deflateOn(true, longer)
      const failure = mismatch(host.subarray(offset, offset + p.length), 'offset')
      if (failure !== undefined && failures.length < 5) failures.push(failure)
    }
    expect(failures).toEqual([])
  })
})

/**
 * Counts the blocks whose symbols wasm writes, by the codes it is given (the fixed code's lengths
 * or a dynamic tree's); stored blocks never reach it. Undone by forgetWasmMatcher.
 */
function countWasmBlocks(): { fixed: number; dynamic: number } {
  const counts = { fixed: 0, dynamic: 0 }
  const wasm = wasmMatcher() as { -readonly [K in keyof WasmMatcher]: WasmMatcher[K] }
  const write = wasm.writeSymbols
  wasm.writeSymbols = (...args) => {
    // Its last argument says which codes it writes with: 1 the fixed code, 0 the dynamic ones.
    if (args[5] === 1) counts.fixed++
    else counts.dynamic++
    return write(...args)
  }
  return counts
}

describe('the block writer in WebAssembly', () => {
  it('writes no stored block: incompressible inputs give the bytes of pako without it', () => {
    const rng = new Rng(0x3a5e0005)
    forgetWasmMatcher()
    const counts = countWasmBlocks()
    const failures: string[] = []
    for (const n of [WASM_MATCHER_MIN_INPUT + 1, 16_383, 16_384, 40_000, DEFLATE_MAX_INPUT]) {
      const failure = mismatch(rng.bytes(n), 'random')
      if (failure !== undefined) failures.push(failure)
    }
    expect(failures).toEqual([])
    expect(counts).toEqual({ fixed: 0, dynamic: 0 })
  })

  it(`gives pako's bytes on both paths for ${scaled(300)} inputs of stored, fixed and dynamic blocks in every order`, () => {
    // Segments of random bytes (stored blocks), short-period or zero runs (a handful of symbols:
    // fixed codes) and text-like data (dynamic trees), each long enough or short enough to end a
    // block (16,383 symbols) inside it or to be one: the bits wasm writes must continue from
    // every writer state, after a stored block's byte alignment and after a block's tree header.
    const rng = new Rng(0x3a5e0006)
    forgetWasmMatcher()
    const counts = countWasmBlocks()
    const failures: string[] = []
    const segment = (n: number): Uint8Array => {
      switch (rng.int(4)) {
        case 0:
          return rng.bytes(n)
        case 1:
          return payload(rng, n, 'period')
        case 2:
          return new Uint8Array(n).fill(rng.int(256))
        default:
          return payload(rng, n, rng.pick(['rtm2', 'text', 'records', 'low-entropy']))
      }
    }
    for (let i = 0, n = scaled(300); i < n; i++) {
      const parts: Uint8Array[] = []
      let total = 0
      const target = rng.chance(0.3)
        ? rng.range(WASM_MATCHER_MIN_INPUT + 1, 4_000)
        : rng.range(4_000, DEFLATE_MAX_INPUT)
      while (total < target) {
        const part = segment(Math.min(target - total, rng.range(1, 20_000)))
        parts.push(part)
        total += part.length
      }
      const data = new Uint8Array(total)
      let at = 0
      for (const part of parts) {
        data.set(part, at)
        at += part.length
      }
      const failure = mismatch(data, `${parts.length} segments`)
      if (failure !== undefined && failures.length < 5) failures.push(failure)
    }
    expect(failures).toEqual([])
    // Both kinds of coded block went through wasm.
    expect(counts.fixed).toBeGreaterThan(0)
    expect(counts.dynamic).toBeGreaterThan(0)
  })
})

describe('Adler-32 in WebAssembly', () => {
  it('is adler32.ts at every length around its reduction interval, on 0xff bytes (the largest sums) and random bytes', () => {
    const rng = new Rng(0x3a5e0007)
    const wasm = wasmMatcher()
    if (wasm === undefined) throw new Error('no WebAssembly')
    const lengths = [0, 1, 2, 3, 4, 5, 7, 8, 5551, 5552, 5553, 11_104, 11_105, DEFLATE_MAX_INPUT]
    for (let i = 0; i < 50; i++) lengths.push(rng.range(1, DEFLATE_MAX_INPUT))
    for (const n of lengths) {
      for (const data of [new Uint8Array(n).fill(0xff), rng.bytes(n)]) {
        wasm.input.set(data)
        expect([n, wasm.adler32(n) >>> 0]).toEqual([n, adler32(data)])
      }
    }
  })
})

describe('the fallback to the JavaScript match finder', () => {
  const large = () => payload(new Rng(0x3a5e0004), 20_000, 'rtm2')

  it('engages, silently and for good, when compiling the module throws (workerd, a CSP without wasm-unsafe-eval)', () => {
    let compiles = 0
    vi.stubGlobal('WebAssembly', {
      ...WebAssembly,
      Module: function Module() {
        compiles++
        throw new WebAssembly.CompileError('Wasm code generation disallowed by embedder')
      },
    })
    forgetWasmMatcher()
    const data = large()
    expect(hex(deflateView(data)!)).toBe(hex(referenceDeflate(data)))
    expect(wasmMatcherState()).toBe('unavailable')
    expect(hex(deflateView(data)!)).toBe(hex(referenceDeflate(data)))
    expect(compiles).toBe(1)
  })

  it('engages when instantiating throws (a synchronous-compile size limit, a memory limit)', () => {
    vi.stubGlobal('WebAssembly', {
      ...WebAssembly,
      Module: WebAssembly.Module,
      Instance: function Instance() {
        throw new RangeError('WebAssembly.Instance is disallowed on the main thread')
      },
    })
    forgetWasmMatcher()
    const data = large()
    expect(hex(deflateView(data)!)).toBe(hex(referenceDeflate(data)))
    expect(wasmMatcherState()).toBe('unavailable')
  })

  it('engages where there is no WebAssembly at all', () => {
    vi.stubGlobal('WebAssembly', undefined)
    forgetWasmMatcher()
    const data = large()
    expect(hex(deflateView(data)!)).toBe(hex(referenceDeflate(data)))
    expect(wasmMatcherState()).toBe('unavailable')
  })
})
