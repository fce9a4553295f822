// The zlib boundary of the library: standard-zlib-identical deflate for building, and a strict,
// size-capped inflate for decoding (FORMAT.md, "What our verifier accepts").
//
// Both directions have a pure-JavaScript fast path written for token-sized data
// (deflate-small.ts, inflate-small.ts); pako remains the deflate for inputs too large for the
// fast path, where its per-call setup cost no longer matters.
import { deflate } from 'pako'
import { deflateSmall, deflateSmallView } from './deflate-small.js'
import { inflateSmall, inflateSmallView } from './inflate-small.js'

/**
 * zlib-wrapped deflate, byte-identical to C zlib at its defaults (level 6, 15-bit window,
 * memLevel 8): the output of the Python, Java, C++, PHP and Ruby references.
 */
export function deflateZlib(data: Uint8Array): Uint8Array {
  return (
    deflateSmall(data) ?? deflate(data, { level: 6, windowBits: 15, memLevel: 8, legacyHash: true })
  )
}

/**
 * {@link deflateZlib} for a caller that reads the stream at once and keeps nothing: small inputs
 * get a view of the compressor's buffer, valid only until the next deflate.
 */
export function deflateZlibTransient(data: Uint8Array): Uint8Array {
  return deflateSmallView(data) ?? deflateZlib(data)
}

/**
 * Inflates exactly one zlib stream (RFC 1950; no gzip wrapper, no preset dictionary) that must
 * end exactly at the end of `data`, with a verified Adler-32.
 *
 * @throws TokenMalformed when the stream is not valid zlib, is truncated, or has bytes after it
 * @throws TokenTooLarge when it would inflate to more than `maxOutput` bytes
 */
export function inflateZlib(data: Uint8Array, maxOutput: number): Uint8Array {
  return inflateSmall(data, maxOutput)
}

/**
 * {@link inflateZlib} for a caller that reads the bytes at once and keeps nothing: a view of the
 * inflater's buffer, valid only until the next inflate.
 *
 * @throws TokenMalformed when the stream is not valid zlib, is truncated, or has bytes after it
 * @throws TokenTooLarge when it would inflate to more than `maxOutput` bytes
 */
export function inflateZlibTransient(data: Uint8Array, maxOutput: number): Uint8Array {
  return inflateSmallView(data, maxOutput)
}
