// The symbols of the current block and their output as one deflate block (zlib's sym_buf,
// _tr_flush_block and compress_block).
import type { BitWriter } from './bit-writer.js'
import {
  chooseBlockType,
  chooseWithoutTrees,
  DYNAMIC,
  FIXED,
  fixedBlockBits,
  literalUsedBits,
  STORED,
  UNDECIDED,
  usedLiterals,
  usedLiteralsCount,
} from './block-choice.js'
import {
  D_CODES,
  DIST_BASE,
  DIST_EXTRA,
  distanceCode,
  END_BLOCK,
  LENGTH_BASE,
  LENGTH_CODE,
  L_CODES,
  LENGTH_EXTRA,
} from './tables.js'
import {
  buildDynamicTrees,
  dtree,
  dynamicBlockBits,
  ltree,
  resetTrees,
  STATIC_DTREE_CODE,
  STATIC_DTREE_LEN,
  STATIC_LTREE_CODE,
  STATIC_LTREE_LEN,
  sendDynamicTrees,
} from './trees.js'
import type { WasmMatcher } from './wasm-matcher.js'

/**
 * zlib flushes a block when its symbol buffer holds lit_bufsize - 1 symbols, where
 * lit_bufsize = 1 << (memLevel + 6) = 16384 at memLevel 8 (deflate.c, `sym_end`).
 */
export const SYMBOLS_PER_BLOCK = (1 << (8 + 6)) - 1

/**
 * The matches of zlib's sym_buf, one per entry: the match distance above
 * {@link SYMBOL_DIST_SHIFT} bits and the match length minus 3 below. zlib's buffer also holds the
 * literals, but those are exactly the bytes of the block that its matches do not cover, so they
 * are read from the input when the block is written (a token's block is nearly all literals:
 * storing each one and decoding it again cost more than reading the byte). The compressor fills
 * this, {@link matchStarts}, and the symbol counts.
 */
export const matches = new Int32Array(SYMBOLS_PER_BLOCK)
/** matchStarts[k]: where in the input the bytes of match k begin. */
export const matchStarts = new Int32Array(SYMBOLS_PER_BLOCK)
/** See {@link matches}. */
export const SYMBOL_DIST_SHIFT = 8

/** Starts a new block: only the end-of-block symbol is known to occur (zlib's init_block). */
export function resetBlock(): void {
  resetTrees()
  literalUsedBits.fill(0)
  literalUsedBits[END_BLOCK >>> 5] = 1 << (END_BLOCK & 31)
}

/**
 * Emits the block of `data[start, start + length)`, whose first `matchCount` buffered
 * {@link matches} are its matches and whose other bytes are its literals, choosing stored, fixed
 * or dynamic coding exactly as zlib's _tr_flush_block does, and starts the next block.
 *
 * With `wasm`, the block is one the WebAssembly match finder found: its matches are in wasm
 * memory (not in {@link matches}), as is `data`, and wasm writes its symbols.
 */
export function flushBlock(
  w: BitWriter,
  data: Uint8Array,
  start: number,
  length: number,
  last: boolean,
  matchCount: number,
  wasm?: WasmMatcher,
): void {
  let type = chooseWithoutTrees(length)
  let maxBlIndex = 0
  if (type === UNDECIDED) {
    maxBlIndex = buildDynamicTrees(usedLiterals, usedLiteralsCount())
    type = chooseBlockType(length, dynamicBlockBits(), fixedBlockBits())
  }
  const lastBit = last ? 1 : 0
  if (type === STORED) {
    // Stored (RFC 1951 §3.2.4): 4 bytes of LEN and NLEN, then the raw bytes.
    w.putBits(lastBit, 3)
    w.alignToByte()
    w.putByte(length & 0xff)
    w.putByte(length >>> 8)
    w.putByte(~length & 0xff)
    w.putByte((~length >>> 8) & 0xff)
    w.putBytes(data, start, start + length)
  } else if (type === FIXED) {
    w.putBits((FIXED << 1) | lastBit, 3)
    writeBlockSymbols(w, wasm, data, start, start + length, matchCount, true)
  } else {
    w.putBits((DYNAMIC << 1) | lastBit, 3)
    sendDynamicTrees(w, maxBlIndex, usedLiterals, usedLiteralsCount())
    writeBlockSymbols(w, wasm, data, start, start + length, matchCount, false)
  }
  resetBlock()
  if (last) w.alignToByte()
}

/**
 * The numbers compressBlock's loop uses (zlib's values, exported as constants by tables.ts and
 * this module), as a const enum so that the compiler writes them into the loop as literals: V8's
 * optimised code reads a module constant from the module context on every use.
 */
// biome-ignore lint/suspicious/noConstEnum: file-local, so esbuild and tsc inline its members
const enum Output {
  /** {@link SYMBOL_DIST_SHIFT}. */
  SymbolDistShift = 8,
  /** LITERALS + 1: the symbol of length code 0. */
  FirstLengthSymbol = 257,
  /** MIN_MATCH. */
  MinMatch = 3,
}

/** Sends the block's symbols and the end-of-block code with the given codes. */
function compressBlock(
  w: BitWriter,
  data: Uint8Array,
  start: number,
  end: number,
  matchCount: number,
  lcode: Uint16Array,
  llen: Uint8Array,
  dcode: Uint16Array,
  dlen: Uint8Array,
): void {
  writeSymbols(w, data, start, end, matchCount, lcode, llen, dcode, dlen)
  w.pos = writtenPos
  w.bitBuf = pendingBits
  w.bitCount = pendingBitCount
  w.putBits(lcode[END_BLOCK], llen[END_BLOCK])
}

/**
 * The block's symbols and end-of-block code with the fixed code or the dynamic trees' codes: by
 * wasm for a block it found.
 */
function writeBlockSymbols(
  w: BitWriter,
  wasm: WasmMatcher | undefined,
  data: Uint8Array,
  start: number,
  end: number,
  matchCount: number,
  fixed: boolean,
): void {
  if (wasm !== undefined) compressBlockInWasm(w, wasm, start, end, matchCount, fixed)
  else if (fixed) {
    compressBlock(
      w,
      data,
      start,
      end,
      matchCount,
      STATIC_LTREE_CODE,
      STATIC_LTREE_LEN,
      STATIC_DTREE_CODE,
      STATIC_DTREE_LEN,
    )
  } else
    compressBlock(w, data, start, end, matchCount, ltree.code, ltree.len, dtree.code, dtree.len)
}

/** The dynamic trees' code lengths, as many as wasm takes (a tree's `len` also has its nodes'). */
const literalLengths = ltree.len.subarray(0, L_CODES)
/** See {@link literalLengths}. */
const distanceLengths = dtree.len.subarray(0, D_CODES)

/**
 * compressBlock for a block the WebAssembly match finder found: wasm writes the symbols and the
 * end-of-block code from the input and matches it holds (the same bits as writeSymbols,
 * continuing the writer's pending bits), with the fixed code it keeps or with the dynamic codes
 * copied into its memory, and the bytes it wrote are copied into the writer. At ~60 KB this loop
 * was ~12% of a token build in JS. (Copying the fixed code too, for every block, took ~3% of a
 * fixed-block token's build in a CPU profile; the realistic mix is ~1.8% faster without it.)
 */
function compressBlockInWasm(
  w: BitWriter,
  wasm: WasmMatcher,
  start: number,
  end: number,
  matchCount: number,
  fixed: boolean,
): void {
  if (!fixed) {
    wasm.literalCodes.set(ltree.code)
    wasm.literalLengths.set(literalLengths)
    wasm.distanceCodes.set(dtree.code)
    wasm.distanceLengths.set(distanceLengths)
  }
  const result = wasm.writeSymbols(start, end, matchCount, w.bitBuf, w.bitCount, fixed ? 1 : 0)
  const written = result >>> 11
  w.out.set(wasm.output.subarray(0, written), w.pos)
  w.pos += written
  w.bitBuf = (result >> 3) & 0xff
  w.bitCount = result & 7
}

/**
 * Where {@link writeSymbols} left the output: module variables rather than a store into the
 * writer after its loop, because V8 may compile that loop alone during a first large call, and
 * code after it that had never run would make that code bail out at the end of every call.
 */
let writtenPos = 0
let pendingBits = 0
let pendingBitCount = 0

/**
 * Writes the symbols of the block `data[start, end)` with the given codes, from the writer's
 * position and pending bits: the bytes before each buffered match as literals, then the match.
 *
 * The bits go out without branching on the bit count (a branch the processor cannot predict):
 * after each piece, the pending bits are stored as 4 bytes at once, the complete bytes are kept
 * and the rest (fewer than 8 bits) stays pending. A literal is one piece (at most 7 + 15 bits
 * pending); a match is three: the length code with its extra bits (7 + 15 + 5), the distance
 * code (7 + 15), the distance's extra bits (7 + 13). So the buffer never exceeds 31 bits.
 */
function writeSymbols(
  w: BitWriter,
  data: Uint8Array,
  start: number,
  end: number,
  matchCount: number,
  lcode: Uint16Array,
  llen: Uint8Array,
  dcode: Uint16Array,
  dlen: Uint8Array,
): void {
  // The bit writer and the imported tables are kept in locals here: this loop runs once per
  // symbol, and V8 would otherwise reload each imported binding through its module cell.
  const found = matches
  const foundAt = matchStarts
  const lengthCode = LENGTH_CODE
  const lengthExtra = LENGTH_EXTRA
  const lengthBase = LENGTH_BASE
  const distExtra = DIST_EXTRA
  const distBase = DIST_BASE
  const out = w.outView
  let pos = w.pos
  let buf = w.bitBuf
  let cnt = w.bitCount // fewer than 8 (see BitWriter)
  let p = start
  for (let k = 0; k <= matchCount; k++) {
    // The literals up to match k (after the last match: up to the end of the block).
    const literalsEnd = k < matchCount ? foundAt[k] : end
    for (; p < literalsEnd; p++) {
      const lit = data[p]
      buf |= lcode[lit] << cnt
      cnt += llen[lit]
      out.setInt32(pos, buf, true)
      pos += cnt >> 3
      buf >>= cnt & ~7
      cnt &= 7
    }
    if (k < matchCount) {
      const symbol = found[k]
      const dist = symbol >> Output.SymbolDistShift
      const lc = symbol & 0xff
      p += lc + Output.MinMatch
      const code = lengthCode[lc]
      const sym = code + Output.FirstLengthSymbol
      buf |= lcode[sym] << cnt
      cnt += llen[sym]
      buf |= (lc + Output.MinMatch - lengthBase[code]) << cnt
      cnt += lengthExtra[code]
      out.setInt32(pos, buf, true)
      pos += cnt >> 3
      buf >>= cnt & ~7
      cnt &= 7
      const dc = distanceCode(dist - 1)
      buf |= dcode[dc] << cnt
      cnt += dlen[dc]
      out.setInt32(pos, buf, true)
      pos += cnt >> 3
      buf >>= cnt & ~7
      cnt &= 7
      buf |= (dist - distBase[dc]) << cnt
      cnt += distExtra[dc]
      out.setInt32(pos, buf, true)
      pos += cnt >> 3
      buf >>= cnt & ~7
      cnt &= 7
    }
  }
  writtenPos = pos
  pendingBits = buf
  pendingBitCount = cnt
}
