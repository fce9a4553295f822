// The WebAssembly match finder: the hash chains, deflate_slow's main loop and longest_match of
// deflate.ts and matcher.ts, and the symbol loop of blocks.ts writeSymbols, compiled from
// assembly/zlib-matcher.ts (AssemblyScript) and embedded as base64 (matcher-wasm.generated.ts).
// deflate.ts uses it for inputs above WASM_MATCHER_MIN_INPUT: it builds each block's trees and
// chooses its type from the counts this module's memory holds, exactly as after its own loop, and
// has wasm write the block's symbols with the chosen codes.
//
// It is loaded on the first input above the threshold (a process's first token), synchronously,
// and only where the runtime allows it: where WebAssembly is missing or refuses to compile a
// module from bytes at run time (Cloudflare workerd, a browser page whose CSP lacks
// 'wasm-unsafe-eval', a runtime with WebAssembly turned off), the attempt fails once, silently,
// and the JavaScript path serves every later input.
import { decodeBase64 } from '../base64.js'
import { MATCHER_WASM_BASE64 } from './matcher-wasm.generated.js'
import {
  D_CODES,
  DIST_BASE,
  DIST_EXTRA,
  distanceCode,
  L_CODES,
  LENGTH_BASE,
  LENGTH_CODE,
  LENGTH_EXTRA,
} from './tables.js'
import {
  STATIC_DTREE_CODE,
  STATIC_DTREE_LEN,
  STATIC_LTREE_CODE,
  STATIC_LTREE_LEN,
} from './trees.js'

/**
 * Inputs longer than this many bytes go to the WebAssembly match finder: every token's payload
 * (the smallest is about 90 bytes). Measured per deflate, JavaScript against wasm, on the
 * realistic mix's payloads cut to a length: 96 bytes 5.03 / 4.86 µs, 160 bytes 5.29 / 4.58,
 * 250 bytes 11.91 / 10.37; whole payloads of the mix's kinds 11-14% faster. (Until the module
 * cleared its 64 KiB `head` with a memset for every input, 300 bytes were a wash and the
 * threshold was 512.) Shorter inputs, which no token has, keep the JavaScript path.
 */
export const WASM_MATCHER_MIN_INPUT = 64

/** The exports of assembly/zlib-matcher.ts, with views of its memory. */
export interface WasmMatcher {
  /** Takes the input's `length` bytes at {@link input}: builds the chains, starts a block. */
  readonly start: (length: number) => void
  /** Runs deflate_slow on: 1 when a block is full (flush it, call again), 0 at the end. */
  readonly run: () => number
  /** Where the current block starts (after `run` returned 0: the last block). */
  readonly currentBlockStart: () => number
  /** Where the full block that made `run` return 1 ends. */
  readonly fullBlockEnd: () => number
  /** How many matches the current block has in {@link matches} / {@link matchStarts}. */
  readonly blockMatchCount: () => number
  /** 1 when deflate_slow left the last byte as a pending literal (after `run` returned 0). */
  readonly lastLiteralPending: () => number
  /** Where the input goes (64 KiB; deflate.ts passes at most DEFLATE_MAX_INPUT bytes). */
  readonly input: Uint8Array
  /** blocks.ts `matches` of the current block. */
  readonly matches: Int32Array
  /** blocks.ts `matchStarts` of the current block. */
  readonly matchStarts: Int32Array
  /** ltree.freq of the current block, L_CODES entries. */
  readonly literalFreq: Int32Array
  /** dtree.freq of the current block, D_CODES entries. */
  readonly distanceFreq: Int32Array
  /** block-choice.ts `literalUsedBits` of the current block. */
  readonly literalUsedBits: Int32Array
  /**
   * Writes the current block's symbols and end-of-block code (blocks.ts writeSymbols) to
   * {@link output} with the fixed code (`fixed` 1, kept in the module's memory since it was
   * loaded) or with the codes put in {@link literalCodes} .. {@link distanceLengths} (`fixed` 0),
   * continuing `bitCount` pending bits `bits`: returns the bytes written << 11 | the bits left
   * pending << 3 | their count.
   */
  readonly writeSymbols: (
    start: number,
    end: number,
    matchCount: number,
    bits: number,
    bitCount: number,
    fixed: number,
  ) => number
  /** Adler-32 of the first `length` bytes of {@link input}, as a signed int32. */
  readonly adler32: (length: number) => number
  /** The literal/length codes writeSymbols uses, L_CODES entries. */
  readonly literalCodes: Uint16Array
  /** Their lengths. */
  readonly literalLengths: Uint8Array
  /** The distance codes writeSymbols uses, D_CODES entries. */
  readonly distanceCodes: Uint16Array
  /** Their lengths. */
  readonly distanceLengths: Uint8Array
  /** Where writeSymbols writes (the whole area: read only the bytes it says it wrote). */
  readonly output: Uint8Array
}

/** The loaded matcher; null once loading failed; undefined before the first attempt. */
let loaded: WasmMatcher | null | undefined
/** False while a test has switched the WebAssembly path off (see {@link setWasmMatcherEnabled}). */
let enabled = true

/**
 * The WebAssembly match finder, loaded on first use; undefined where it cannot be (then, and
 * from then on, deflate.ts uses its JavaScript loop).
 */
export function wasmMatcher(): WasmMatcher | undefined {
  if (!enabled) return undefined
  if (loaded === undefined) loaded = load()
  return loaded ?? undefined
}

/**
 * Which path inputs above the threshold take: `'off'` while a test has switched WebAssembly off,
 * `'unloaded'` before the first of them, then `'loaded'`, or `'unavailable'` when the runtime
 * refused it. For tests.
 * @internal
 */
export function wasmMatcherState(): 'off' | 'unloaded' | 'loaded' | 'unavailable' {
  if (!enabled) return 'off'
  return loaded === undefined ? 'unloaded' : loaded === null ? 'unavailable' : 'loaded'
}

/**
 * Switches the WebAssembly path on or off (the loaded module is kept): for tests that compare the
 * two paths.
 * @internal
 */
export function setWasmMatcherEnabled(on: boolean): void {
  enabled = on
}

/**
 * Forgets the loaded module, or the failure to load it, so that the next input above the
 * threshold tries again: for tests that make loading fail.
 * @internal
 */
export function forgetWasmMatcher(): void {
  loaded = undefined
}

/**
 * Compiles and instantiates the module synchronously (it is 2.9 KB, under the 4 KB that
 * Chromium's main thread allows a synchronous compile); null on any failure. The module imports
 * nothing and exports its memory (16 fixed pages, never grown, so the views stay valid).
 */
function load(): WasmMatcher | null {
  try {
    if (typeof WebAssembly !== 'object' || WebAssembly === null) return null
    const bytes = decodeBase64(MATCHER_WASM_BASE64)
    if (typeof bytes === 'string') return null
    const instance = new WebAssembly.Instance(
      new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>),
      {},
    )
    const exports = instance.exports
    const memory = (exports.memory as WebAssembly.Memory).buffer
    const at = (name: string) => (exports[name] as WebAssembly.Global).value as number
    new Uint8Array(memory, at('LENGTH_CODE'), LENGTH_CODE.length).set(LENGTH_CODE)
    // tables.ts DIST_CODE, rebuilt from distanceCode so that the table stays private there.
    // Entries 256 and 257 are never read (a distance - 1 of 256 or more indexes 258 and up).
    const distCode = new Uint8Array(memory, at('DIST_CODE'), 512)
    for (let i = 0; i < 512; i++) distCode[i] = distanceCode(i < 256 ? i : (i - 256) << 7)
    new Uint16Array(memory, at('LENGTH_BASE'), LENGTH_BASE.length).set(LENGTH_BASE)
    new Uint8Array(memory, at('LENGTH_EXTRA'), LENGTH_EXTRA.length).set(LENGTH_EXTRA)
    new Uint16Array(memory, at('DIST_BASE'), DIST_BASE.length).set(DIST_BASE)
    new Uint8Array(memory, at('DIST_EXTRA'), DIST_EXTRA.length).set(DIST_EXTRA)
    // The fixed code, for every fixed block from now on (its tables have L_CODES + 2 entries,
    // RFC 1951's full alphabet; symbols 286 and 287 never occur).
    new Uint16Array(memory, at('FIXED_LITERAL_CODES'), L_CODES).set(
      STATIC_LTREE_CODE.subarray(0, L_CODES),
    )
    new Uint8Array(memory, at('FIXED_LITERAL_LENGTHS'), L_CODES).set(
      STATIC_LTREE_LEN.subarray(0, L_CODES),
    )
    new Uint16Array(memory, at('FIXED_DISTANCE_CODES'), D_CODES).set(STATIC_DTREE_CODE)
    new Uint8Array(memory, at('FIXED_DISTANCE_LENGTHS'), D_CODES).set(STATIC_DTREE_LEN)
    return {
      start: exports.start as (length: number) => void,
      run: exports.run as () => number,
      currentBlockStart: exports.currentBlockStart as () => number,
      fullBlockEnd: exports.fullBlockEnd as () => number,
      blockMatchCount: exports.blockMatchCount as () => number,
      lastLiteralPending: exports.lastLiteralPending as () => number,
      input: new Uint8Array(memory, at('INPUT'), 1 << 16),
      matches: new Int32Array(memory, at('MATCHES'), 1 << 14),
      matchStarts: new Int32Array(memory, at('MATCH_STARTS'), 1 << 14),
      literalFreq: new Int32Array(memory, at('LITERAL_FREQ'), L_CODES),
      distanceFreq: new Int32Array(memory, at('DISTANCE_FREQ'), D_CODES),
      literalUsedBits: new Int32Array(memory, at('LITERAL_USED_BITS'), (L_CODES + 31) >>> 5),
      writeSymbols: exports.writeSymbols as WasmMatcher['writeSymbols'],
      adler32: exports.adler32 as (length: number) => number,
      literalCodes: new Uint16Array(memory, at('LITERAL_CODES'), L_CODES),
      literalLengths: new Uint8Array(memory, at('LITERAL_LENGTHS'), L_CODES),
      distanceCodes: new Uint16Array(memory, at('DISTANCE_CODES'), D_CODES),
      distanceLengths: new Uint8Array(memory, at('DISTANCE_LENGTHS'), D_CODES),
      output: new Uint8Array(memory, at('OUTPUT'), at('MEMORY_END') - at('OUTPUT')),
    }
  } catch {
    // Not compiled or not instantiated (no WebAssembly, a CSP, workerd, a size limit): the
    // JavaScript path serves.
    return null
  }
}
