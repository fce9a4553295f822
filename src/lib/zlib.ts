// The zlib boundary of the library: standard-zlib-identical deflate for building, and a strict,
// size-capped inflate for decoding (docs/format.md, "Compression").
//
// Both directions are pure JavaScript written for token-sized data (zlib/deflate.ts,
// zlib/inflate.ts); pako remains the deflate for inputs too large for zlib/deflate.ts.
import { deflate } from 'pako'
import { deflateView } from './zlib/deflate.js'
import { inflateView } from './zlib/inflate.js'

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
 * Inflates exactly one zlib stream (RFC 1950; no gzip wrapper, no preset dictionary) that must
 * end exactly at the end of `data`, with a verified Adler-32. For a caller that reads the bytes
 * at once and keeps nothing: a view of the inflater's buffer, valid only until the next inflate.
 *
 * @throws TokenMalformed when the stream is not valid zlib, is truncated, or has bytes after it
 * @throws TokenTooLarge when it would inflate to more than `maxOutput` bytes
 */
export function inflateZlibTransient(data: Uint8Array, maxOutput: number): Uint8Array {
  return inflateView(data, maxOutput)
}
