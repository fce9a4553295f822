// The zlib boundary of the library: standard-zlib-identical deflate for building, and a strict,
// size-capped inflate for decoding (FORMAT.md, "What our verifier accepts").
import {
  ZStream,
  Z_FINISH,
  Z_OK,
  Z_STREAM_END,
  deflate,
  zlibInflate,
  zlibInflateInit2,
  zlibInflateReset,
} from 'pako'
import { TokenMalformed, TokenTooLarge } from '../errors.js'

/**
 * zlib-wrapped deflate, byte-identical to C zlib at its defaults (level 6, 15-bit window,
 * memLevel 8): the output of the Python, Java, C++, PHP and Ruby references.
 */
export function deflateZlib(data: Uint8Array): Uint8Array {
  return deflate(data, { level: 6, windowBits: 15, memLevel: 8, legacyHash: true })
}

let inflater: ZStream | undefined
let scratch = new Uint8Array(0)

/**
 * Inflates exactly one zlib stream (RFC 1950; no gzip wrapper, no preset dictionary) that must
 * end exactly at the end of `data`, with a verified Adler-32.
 *
 * @throws TokenMalformed when the stream is not valid zlib, is truncated, or has bytes after it
 * @throws TokenTooLarge when it would inflate to more than `maxOutput` bytes
 */
export function inflateZlib(data: Uint8Array, maxOutput: number): Uint8Array {
  // A zlib header is CMF FLG with CM = 8 and (CMF*256 + FLG) % 31 == 0; checked here so that a
  // gzip member or raw deflate data is refused with a clear reason.
  if (data.length < 2 || (data[0] & 0x0f) !== 8 || ((data[0] << 8) | data[1]) % 31 !== 0) {
    throw new TokenMalformed('token payload is not a zlib stream')
  }
  if (data[1] & 0x20) throw new TokenMalformed('token payload uses a zlib preset dictionary')
  let strm = inflater
  if (strm === undefined) {
    strm = new ZStream()
    zlibInflateInit2(strm, 15)
    inflater = strm
  } else {
    zlibInflateReset(strm)
  }
  // One byte more than allowed tells "exactly at the limit" from "over the limit". The scratch
  // buffer is reused across calls (everything here is synchronous) and the result copied out.
  if (scratch.length < maxOutput + 1) scratch = new Uint8Array(maxOutput + 1)
  const out = scratch
  strm.input = data
  strm.next_in = 0
  strm.avail_in = data.length
  strm.output = out
  strm.next_out = 0
  strm.avail_out = maxOutput + 1
  const status = zlibInflate(strm, Z_FINISH)
  const produced = strm.next_out
  const trailing = strm.avail_in
  strm.input = EMPTY
  strm.output = EMPTY
  if (status === Z_STREAM_END) {
    if (trailing !== 0) throw new TokenMalformed(`token has ${trailing} bytes after its zlib stream`)
    if (produced > maxOutput) throw tooLarge(maxOutput)
    return out.slice(0, produced)
  }
  if (produced > maxOutput) throw tooLarge(maxOutput)
  if (status === Z_OK || status === -5 /* Z_BUF_ERROR: input ran out */) {
    throw new TokenMalformed('token zlib stream is truncated')
  }
  throw new TokenMalformed(`token zlib stream is corrupt${strm.msg ? ` (${strm.msg})` : ''}`)
}

const EMPTY = new Uint8Array(0)

function tooLarge(maxOutput: number): TokenTooLarge {
  return new TokenTooLarge(
    `token payload inflates to more than ${maxOutput} bytes (maxPayloadBytes); raise the limit if such tokens are expected`,
  )
}
