// A strict, size-capped zlib inflate (RFC 1950 wrapper around RFC 1951 deflate data) that takes
// exactly the decisions C zlib 1.2.13's inflate (and pako's port of it) takes with windowBits 15
// and Z_FINISH, as the library's verifier used them: zlib gets maxOutput + 1 bytes of room; a
// stream that ends in that room is refused for bytes after it, then for being over maxOutput;
// otherwise, once the room holds more than maxOutput bytes the stream is "too large" whatever
// happens next (zlib stops when its room is full, before checking the next match's distance).
//
// Why not pako: pako's inflate is a resumable state machine built for streaming, and a one-shot
// call allocates its state and tables each time. Tokens are small and arrive whole, so this is a
// one-shot decoder with all tables allocated once, and a hot loop that keeps its state in locals.
//
// zlib's accept / reject rules reproduced here (inflate.c, inftrees.c):
//   - header: (CMF*256 + FLG) % 31 == 0, CM = 8, CINFO <= 7; a preset dictionary is refused;
//   - block type 3, stored LEN != ~NLEN, HLIT > 286 or HDIST > 30 are errors;
//   - every code must be complete; over-subscribed codes are errors; the only incomplete code
//     accepted is a literal/length or distance code made of a single code of length 1; a
//     distance code with no codes at all is accepted (any distance then is an error);
//   - a code-length repeat with nothing to repeat or past the end, a missing end-of-block code,
//     literal/length symbols 286/287 and distance symbols 30/31 are errors;
//   - a distance farther back than the output so far is an error;
//   - the Adler-32 of the output must follow the last block (after padding to a byte), and, for
//     a token, nothing may follow it.
// One deliberate difference: the padding bits before a byte boundary (after a stored block's
// header, after the last block) must be zero; zlib ignores them (see alignToByte).
// Truncation: zlib acts on a symbol only once all of its bits are present. This decoder pads the
// input with zero bytes (so that a lookup may peek past the end), and checks before acting on
// each symbol that it did not consume any padding.

import { TokenMalformed, TokenTooLarge } from '../../errors.js'
import { adler32 } from './adler32.js'
import {
  CodeKind,
  CodeList,
  DecodeTable,
  fixedDistances,
  fixedLiterals,
  LINK,
} from './inflate-tables.js'
import {
  BL_CODES,
  CODE_LENGTH_ORDER,
  DIST_BASE,
  DIST_EXTRA,
  LENGTH_BASE,
  LENGTH_EXTRA,
} from './tables.js'

/** RFC 1950 §2.2: compression method 8 (deflate) in the low bits of CMF. */
const CM_DEFLATE = 8
/** CINFO, the high bits of CMF, is log2 of the window size minus 8: at most 7 (32 KiB). */
const MAX_CINFO = 7
/** The FLG bit that announces a preset dictionary. */
const FLG_FDICT = 0x20

const END_OF_BLOCK = 256
/** Largest valid literal/length symbol; 286 and 287 exist only in the fixed code. */
const MAX_LENGTH_SYMBOL = 285
/** Number of valid distance symbols; 30 and 31 exist only in the fixed code. */
const DIST_SYMBOLS = 30
/** The longest Huffman code: a refill below this many buffered bits may be needed. */
const MAX_CODE_BITS = 15

/** Root-table widths: codes up to this long decode with one lookup, longer ones with two. */
const LIT_ROOT_BITS = 9
const DIST_ROOT_BITS = 7
const CL_ROOT_BITS = 7
/**
 * Initial table sizes: above zlib's worst cases for these root widths (ENOUGH_LENS and
 * ENOUGH_DISTS in inftrees.h are for 9 and 6 root bits); `build` grows a table if ever needed.
 */
const LITERAL_TABLE_ENTRIES = 2048
/** Matches longer than this that do not overlap are copied with copyWithin, shorter ones by hand. */
const MIN_BULK_COPY = 32
const DISTANCE_TABLE_ENTRIES = 1024

const dynamicLiterals = new DecodeTable(LITERAL_TABLE_ENTRIES)
const dynamicDistances = new DecodeTable(DISTANCE_TABLE_ENTRIES)
const codeLengthCodes = new DecodeTable(1 << CL_ROOT_BITS)
/** The codes of a dynamic block: its literal/length codes and its distance codes. */
const literalCodes = new CodeList(MAX_LENGTH_SYMBOL + 1)
const distanceCodes = new CodeList(DIST_SYMBOLS)
const codeLengthLens = new Uint8Array(BL_CODES)

// ---------------------------------------------------------------------------------------------
// Input: an LSB-first bit reader (RFC 1951 §3.1.1). Past the end it reads zero bytes and keeps
// counting, so that `inPos - inLen` padding bytes have been loaded.

let input: Uint8Array = new Uint8Array(0)
let inLen = 0
let inPos = 0
let bitBuf = 0
let bitCount = 0

// The bit buffer holds up to 32 bits as an int32 (the top bit may be set). After consuming bits
// it is re-coerced with `| 0`: V8 types a bare `>>>` result as uint32, and mixing that with the
// int32 results of `|` would push the buffer out of integer registers.

/** Loads bytes until at least 25 bits are buffered (a 15-bit code plus up to 13 extra bits). */
function refill(): void {
  while (bitCount <= 24) {
    bitBuf |= (inPos < inLen ? input[inPos] : 0) << bitCount
    inPos++
    bitCount += 8
  }
}

/** Reads `n` (≤ 16) bits. */
function readBits(n: number): number {
  if (bitCount < n) refill()
  const value = bitBuf & ((1 << n) - 1)
  bitBuf = (bitBuf >>> n) | 0
  bitCount -= n
  return value
}

/** True when bits beyond the end of the input have been consumed. */
function overran(): boolean {
  return inPos > inLen && bitCount < (inPos - inLen) * 8
}

/**
 * Drops the bits up to the next byte boundary and gives unread buffered bytes back. Unlike zlib,
 * the dropped padding bits must be zero: zlib ignores them, so a token whose padding was changed
 * would be a second text for the same signed token (docs/format.md: no malleable envelope). Every
 * encoder we know (C zlib, Go, Node) writes zeros there.
 */
function alignToByte(): void {
  if (bitBuf & ((1 << (bitCount & 7)) - 1))
    throw malformed('non-zero padding bits before a byte boundary')
  inPos -= bitCount >>> 3
  bitBuf = 0
  bitCount = 0
}

// ---------------------------------------------------------------------------------------------
// Output: a reusable buffer that grows up to the caller's limit.

/** Buffers above this size are not kept between calls. */
const KEEP_OUTPUT_BYTES = 1 << 16
let output = new Uint8Array(4096)
let outPos = 0
/** The caller's maxOutput. */
let maxBytes = 0
/**
 * The room zlib is given, maxOutput + 1 bytes (one more than allowed tells "exactly at the
 * limit" from "over it"). Decoding continues while the output fits in it, so that verdicts match
 * zlib's in every order of events; see inflateView.
 */
let outLimit = 0

/**
 * Makes room for the output to reach `needed` bytes.
 * @throws TokenTooLarge when that is more than zlib's room: zlib would fill it and stop
 */
function reserveOutput(needed: number): void {
  if (needed > outLimit) throw tooLarge(maxBytes)
  if (needed > output.length) {
    const bigger = new Uint8Array(Math.min(Math.max(needed, 2 * output.length), outLimit))
    bigger.set(output.subarray(0, outPos))
    output = bigger
  }
}

// ---------------------------------------------------------------------------------------------
// Errors. Messages say what was wrong; none of them echo input bytes.

/** Records how much was output before `error` (the verdict depends on it), and returns it. */
function failAt(op: number, error: TokenMalformed): TokenMalformed {
  outPos = op
  return error
}

function malformed(reason: string): TokenMalformed {
  return new TokenMalformed(`token zlib stream is corrupt (${reason})`)
}

function truncated(): TokenMalformed {
  return new TokenMalformed('token zlib stream is truncated')
}

function tooLarge(maxOutput: number): TokenTooLarge {
  return new TokenTooLarge(
    `token payload inflates to more than ${maxOutput} bytes (maxPayloadBytes); raise the limit if such tokens are expected`,
  )
}

// ---------------------------------------------------------------------------------------------
// Blocks.

/** A stored block (RFC 1951 §3.2.4): byte-aligned LEN, NLEN, then LEN raw bytes. */
function copyStoredBlock(): void {
  alignToByte()
  if (inPos + 4 > inLen) throw truncated()
  const len = input[inPos] | (input[inPos + 1] << 8)
  const nlen = input[inPos + 2] | (input[inPos + 3] << 8)
  if (len !== (~nlen & 0xffff)) throw malformed('invalid stored block lengths')
  inPos += 4
  // zlib copies what input there is, as far as its room allows.
  const available = Math.min(len, inLen - inPos)
  reserveOutput(outPos + available)
  output.set(input.subarray(inPos, inPos + available), outPos)
  outPos += available
  inPos += available
  if (available < len) throw truncated()
}

/**
 * Reads a dynamic block's code definitions (RFC 1951 §3.2.7) into the dynamic tables. The code
 * lengths go straight into the lists of the literal/length and distance codes: a token's block
 * gives a length to some 60-90 of the 286 literal/length symbols, and a run of zeros (codes 17
 * and 18) then costs nothing.
 */
function readDynamicCodes(): void {
  const nlen = readBits(5) + 257
  const ndist = readBits(5) + 1
  const ncode = readBits(4) + 4
  if (nlen > 286 || ndist > 30) throw malformed('too many length or distance symbols')
  codeLengthLens.fill(0)
  for (let i = 0; i < ncode; i++) codeLengthLens[CODE_LENGTH_ORDER[i]] = readBits(3)
  if (!codeLengthCodes.build(codeLengthLens, 0, BL_CODES, CL_ROOT_BITS, CodeKind.CodeLengths)) {
    throw malformed('invalid code lengths set')
  }

  const clEntries = codeLengthCodes.entries
  const clMask = (1 << codeLengthCodes.rootBits) - 1
  const literals = literalCodes
  const distances = distanceCodes
  literals.clear()
  distances.clear()
  const src = input
  const srcLen = inLen
  let pos = inPos
  let buf = bitBuf
  let cnt = bitCount
  const total = nlen + ndist
  /** The length at `have - 1`, which code 16 repeats. */
  let previous = -1
  let have = 0
  while (have < total) {
    // A code-length code (at most 7 bits) and its repeat count (at most 7 bits) fit in 15 bits.
    // Past the end of the input the bits read as zeros, as in refill.
    if (cnt < 15) {
      buf |= ((pos < srcLen ? src[pos] : 0) | (pos + 1 < srcLen ? src[pos + 1] << 8 : 0)) << cnt
      pos += 2
      cnt += 16
    }
    // The code-length code is complete and at most 7 bits long: one lookup, never invalid.
    const entry = clEntries[buf & clMask]
    const bits = entry & 15
    buf = (buf >>> bits) | 0
    cnt -= bits
    const sym = entry >>> 8
    if (sym < 16) {
      if (sym !== 0) {
        if (have < nlen) literals.add(have, sym)
        else distances.add(have - nlen, sym)
      }
      previous = sym
      have++
      continue
    }
    let value = 0
    let repeat: number
    if (sym === 16) {
      if (have === 0) throw malformed('invalid bit length repeat')
      value = previous
      repeat = 3 + (buf & 3)
      buf = (buf >>> 2) | 0
      cnt -= 2
    } else if (sym === 17) {
      repeat = 3 + (buf & 7)
      buf = (buf >>> 3) | 0
      cnt -= 3
    } else {
      repeat = 11 + (buf & 127)
      buf = (buf >>> 7) | 0
      cnt -= 7
    }
    if (have + repeat > total) throw malformed('invalid bit length repeat')
    previous = value
    if (value === 0) {
      have += repeat
    } else {
      for (const end = have + repeat; have < end; have++) {
        if (have < nlen) literals.add(have, value)
        else distances.add(have - nlen, value)
      }
    }
  }
  inPos = pos
  bitBuf = buf
  bitCount = cnt

  // The end-of-block symbol is the last literal/length symbol with a code unless codes for
  // lengths follow it: either way one of the list's symbols.
  if (!hasCode(literals, END_OF_BLOCK)) throw malformed('invalid code -- missing end-of-block')
  if (!dynamicLiterals.buildFromList(literals, LIT_ROOT_BITS, CodeKind.LiteralLengths)) {
    throw malformed('invalid literal/lengths set')
  }
  if (!dynamicDistances.buildFromList(distances, DIST_ROOT_BITS, CodeKind.Distances)) {
    throw malformed('invalid distances set')
  }
  if (overran()) throw truncated()
}

/** Whether `symbol` is one of the list's symbols. */
function hasCode(list: CodeList, symbol: number): boolean {
  let k = list.size - 1
  while (k >= 0 && list.symbols[k] > symbol) k--
  return k >= 0 && list.symbols[k] === symbol
}

/**
 * Decodes Huffman-coded data up to and including the end-of-block code (RFC 1951 §3.2.5).
 * This is the hot loop: reader and writer state live in locals while it runs (and outPos is
 * updated before every throw, since the verdict depends on how much was output), and input is
 * loaded 16 bits at a time whenever fewer than 15 bits (the longest code) are buffered; only
 * near the end of the input are the two bytes checked individually (and padded with zeros).
 */
function decodeHuffmanBlock(literals: DecodeTable, distances: DecodeTable): void {
  const litEntries = literals.entries
  const litRoot = literals.rootBits
  const litMask = (1 << litRoot) - 1
  const distEntries = distances.entries
  const distRoot = distances.rootBits
  const distMask = (1 << distRoot) - 1
  const src = input
  const srcLen = inLen
  let pos = inPos
  let buf = bitBuf
  let cnt = bitCount
  let out = output
  let op = outPos
  // Writes below `room` need no check: it is both the buffer size and the caller's limit.
  let room = out.length < outLimit ? out.length : outLimit

  for (;;) {
    if (cnt < MAX_CODE_BITS) {
      if (pos + 1 < srcLen) buf |= (src[pos] | (src[pos + 1] << 8)) << cnt
      else
        buf |= ((pos < srcLen ? src[pos] : 0) | (pos + 1 < srcLen ? src[pos + 1] << 8 : 0)) << cnt
      pos += 2
      cnt += 16
    }
    let entry = litEntries[buf & litMask]
    if (entry & LINK)
      entry = litEntries[(entry >>> 8) + ((buf >>> litRoot) & ((1 << (entry & 15)) - 1))]
    let bits = entry & 15
    buf = (buf >>> bits) | 0
    cnt -= bits
    if (pos > srcLen && cnt < (pos - srcLen) * 8) throw failAt(op, truncated())
    let sym = entry >>> 8

    if (sym < 256) {
      if (op >= room) {
        inPos = pos
        bitCount = cnt
        outPos = op
        reserveOutput(op + 1)
        out = output
        room = out.length < outLimit ? out.length : outLimit
      }
      out[op++] = sym
      continue
    }
    if (sym === END_OF_BLOCK) break
    if (sym > MAX_LENGTH_SYMBOL) throw failAt(op, malformed('invalid literal/length code'))

    // A match: length (with up to 5 extra bits), then distance code and up to 13 extra bits.
    sym -= 257
    let length = LENGTH_BASE[sym]
    let extra = LENGTH_EXTRA[sym]
    if (extra !== 0) {
      if (cnt < extra) {
        if (pos + 1 < srcLen) buf |= (src[pos] | (src[pos + 1] << 8)) << cnt
        else
          buf |= ((pos < srcLen ? src[pos] : 0) | (pos + 1 < srcLen ? src[pos + 1] << 8 : 0)) << cnt
        pos += 2
        cnt += 16
      }
      length += buf & ((1 << extra) - 1)
      buf = (buf >>> extra) | 0
      cnt -= extra
    }
    if (cnt < MAX_CODE_BITS) {
      if (pos + 1 < srcLen) buf |= (src[pos] | (src[pos + 1] << 8)) << cnt
      else
        buf |= ((pos < srcLen ? src[pos] : 0) | (pos + 1 < srcLen ? src[pos + 1] << 8 : 0)) << cnt
      pos += 2
      cnt += 16
    }
    entry = distEntries[buf & distMask]
    if (entry & LINK)
      entry = distEntries[(entry >>> 8) + ((buf >>> distRoot) & ((1 << (entry & 15)) - 1))]
    bits = entry & 15
    buf = (buf >>> bits) | 0
    cnt -= bits
    sym = entry >>> 8
    if (sym >= DIST_SYMBOLS) throw failAt(op, malformed('invalid distance code'))
    let distance = DIST_BASE[sym]
    extra = DIST_EXTRA[sym]
    if (extra !== 0) {
      if (cnt < extra) {
        if (pos + 1 < srcLen) buf |= (src[pos] | (src[pos + 1] << 8)) << cnt
        else
          buf |= ((pos < srcLen ? src[pos] : 0) | (pos + 1 < srcLen ? src[pos + 1] << 8 : 0)) << cnt
        pos += 2
        cnt += 16
      }
      distance += buf & ((1 << extra) - 1)
      buf = (buf >>> extra) | 0
      cnt -= extra
    }
    if (pos > srcLen && cnt < (pos - srcLen) * 8) throw failAt(op, truncated())
    if (distance > op) throw failAt(op, malformed('invalid distance too far back'))

    if (op + length > room) {
      // Save the reader too: reserveOutput checks whether it overran the input.
      inPos = pos
      bitCount = cnt
      outPos = op
      reserveOutput(op + length)
      out = output
      room = out.length < outLimit ? out.length : outLimit
    }
    if (length <= MIN_BULK_COPY) {
      // Byte by byte, so that an overlapping copy repeats the most recent bytes. A match is at
      // least 3 bytes long, so those 3 need no loop test: in names made of hex digits or UUIDs
      // most matches are 3 or 4 bytes long.
      let from = op - distance
      const end = op + length
      out[op] = out[from]
      out[op + 1] = out[from + 1]
      out[op + 2] = out[from + 2]
      for (op += 3, from += 3; op < end; ) out[op++] = out[from++]
    } else {
      copyLongMatch(out, op, distance, length)
      op += length
    }
  }
  inPos = pos
  bitBuf = buf
  bitCount = cnt
  outPos = op
}

/**
 * Copies `length` (> MIN_BULK_COPY) bytes from `distance` back to `out[op..]` (the room is
 * already there).
 */
function copyLongMatch(out: Uint8Array, op: number, distance: number, length: number): void {
  const from = op - distance
  if (distance >= length) {
    out.copyWithin(op, from, from + length)
  } else if (distance === 1) {
    out.fill(out[from], op, op + length)
  } else {
    // An overlapping match repeats its first `distance` bytes: copy them, then copy the
    // repeated part so far onwards, doubling it each time (about twice as fast as byte by
    // byte for 258 bytes; a token that inflates to the cap is made of such matches).
    let done = 0
    while (done < length) {
      const chunk = done + distance < length - done ? done + distance : length - done
      out.copyWithin(op + done, from, from + chunk)
      done += chunk
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The stream.

/**
 * Inflates exactly one zlib stream (RFC 1950: CMF/FLG header, deflate data, Adler-32) that must
 * end exactly at the end of `data`, accepting and rejecting exactly the streams C zlib's inflate
 * (windowBits 15, no dictionary) accepts and rejects.
 *
 * "Too large" is decided as zlib decides it when given maxOutput + 1 bytes of room: as soon as a
 * stream needs more than that room, or fails in any way once more than maxOutput bytes are out;
 * a stream that completes in that room is refused for bytes after it first, then for its size.
 *
 * Synchronous and not reentrant (it reuses module-level buffers), which is fine for
 * JavaScript's run-to-completion model.
 *
 * @param data the complete zlib stream
 * @param maxOutput the largest inflated size allowed (a non-negative integer)
 * @returns the inflated bytes: a view of the inflater's output buffer, which the next call may
 *   overwrite (read it at once, keep nothing)
 * @throws TokenMalformed when the stream is not valid zlib, is truncated, or has bytes after it
 * @throws TokenTooLarge when it would inflate to more than `maxOutput` bytes
 */
export function inflateView(data: Uint8Array, maxOutput: number): Uint8Array {
  // A zlib header is CMF FLG with CM = 8 and (CMF*256 + FLG) % 31 == 0; checked first so that a
  // gzip member or raw deflate data is refused with a clear reason.
  const cmf = data[0]
  const flg = data[1]
  if (data.length < 2 || (cmf & 0x0f) !== CM_DEFLATE || ((cmf << 8) | flg) % 31 !== 0) {
    throw new TokenMalformed('token payload is not a zlib stream')
  }
  if (cmf >>> 4 > MAX_CINFO) throw malformed('invalid window size')
  if (flg & FLG_FDICT) throw new TokenMalformed('token payload uses a zlib preset dictionary')

  input = data
  inLen = data.length
  inPos = 2
  bitBuf = 0
  bitCount = 0
  outPos = 0
  maxBytes = maxOutput > 0 ? Math.floor(maxOutput) : 0
  outLimit = maxBytes + 1
  try {
    try {
      inflateBlocks()
    } catch (err) {
      // zlib reports the state of its output first: once its room holds more than maxOutput
      // bytes, whatever went wrong afterwards, the stream is too large.
      if (outPos > maxBytes && err instanceof TokenMalformed) throw tooLarge(maxBytes)
      throw err
    }
    const trailing = inLen - inPos - 4
    if (trailing !== 0)
      throw new TokenMalformed(`token has ${trailing} bytes after its zlib stream`)
    if (outPos > maxBytes) throw tooLarge(maxBytes)
    return output.subarray(0, outPos)
  } finally {
    input = EMPTY
    if (output.length > KEEP_OUTPUT_BYTES) output = new Uint8Array(4096)
  }
}

/** Decodes the blocks and checks the Adler-32 that follows them, leaving inPos on it. */
function inflateBlocks(): void {
  let last: number
  do {
    const header = readBits(3)
    last = header & 1
    switch (header >>> 1) {
      case 0:
        copyStoredBlock()
        break
      case 1:
        decodeHuffmanBlock(fixedLiterals, fixedDistances)
        break
      case 2:
        readDynamicCodes()
        decodeHuffmanBlock(dynamicLiterals, dynamicDistances)
        break
      default:
        throw malformed('invalid block type')
    }
  } while (last === 0)

  // RFC 1950 §2.2: the Adler-32 of the output follows, big-endian, from the next byte.
  alignToByte()
  if (inPos + 4 > inLen) throw truncated()
  const expected =
    ((input[inPos] << 24) |
      (input[inPos + 1] << 16) |
      (input[inPos + 2] << 8) |
      input[inPos + 3]) >>>
    0
  if (adler32(output, 0, outPos) !== expected) throw malformed('incorrect data check')
}

const EMPTY = new Uint8Array(0)
