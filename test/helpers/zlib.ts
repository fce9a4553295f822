// Copying forms of the library's zlib boundary, for tests that keep what they compress or
// inflate (the library itself only ever reads the transient views at once).
import { deflateZlibTransient, inflateZlibTransient } from '../../src/lib/zlib.js'

/** zlib-wrapped deflate of `data`, as a new array. */
export function deflateZlib(data: Uint8Array): Uint8Array {
  return deflateZlibTransient(data).slice()
}

/** The inflated bytes of one zlib stream, as a new array (same errors as the library's). */
export function inflateZlib(data: Uint8Array, maxOutput: number): Uint8Array {
  return inflateZlibTransient(data, maxOutput).slice()
}
