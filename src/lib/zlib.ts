// The zlib boundary of the library: standard-zlib-identical deflate for building, and a strict,
// size-capped inflate for decoding (docs/format.md, "Compression").
//
// Both directions are JavaScript written for token-sized data (zlib/deflate.ts,
// zlib/inflate.ts), except that the deflate's inner loops (matching, writing a block's symbols,
// Adler-32) run in a small WebAssembly module where the runtime allows it (zlib/wasm-matcher.ts);
// pako remains the deflate for inputs too large for zlib/deflate.ts.
import { deflate } from 'pako'
import { deflateView } from './zlib/deflate.js'

/** C zlib's defaults, which every reference builder uses; `legacyHash` makes pako match them. */
const PAKO_ZLIB_DEFAULTS = { level: 6, windowBits: 15, memLevel: 8, legacyHash: true } as const

/**
 * zlib-wrapped deflate, byte-identical to C zlib at its defaults (level 6, 15-bit window,
 * memLevel 8): the output of the Python, Java, C++, PHP and Ruby references. For a caller that
 * reads the stream at once and keeps nothing: small inputs get a view of the compressor's buffer,
 * valid only until the next deflate.
 */
export function deflateZlibTransient(data: Uint8Array): Uint8Array {
  return deflateView(data) ?? deflate(data, PAKO_ZLIB_DEFAULTS)
}

/**
 * Inflates exactly one zlib stream, strictly and within a size cap (see `inflateView`). The
 * verifier imports `zlib/inflate.ts` directly, so that a verify-only bundle never carries pako.
 */
export { inflateView as inflateZlibTransient } from './zlib/inflate.js'
