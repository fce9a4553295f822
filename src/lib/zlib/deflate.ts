// A deflate whose output is byte-identical to C zlib 1.2.13 (and to pako with
// `legacyHash: true`) at the default settings: level 6, 15-bit window, memLevel 8, default
// strategy. That is what the Python, Java, C++, PHP and Ruby reference implementations emit, so
// tokens built here match theirs byte for byte.
//
// Every table is allocated once and reused, the hash table is cleared of only what a call set,
// and the hash chains are built in one pass before matching. Above WASM_MATCHER_MIN_INPUT bytes
// the chains and the matching loop run in WebAssembly where the runtime allows it
// (wasm-matcher.ts, the same decisions), and so does the per-symbol part of writing its blocks
// (the trees and the choice of block type are made here from its counts).
// Identity with zlib holds because every decision zlib makes is reproduced exactly:
//   - the legacy 15-bit rolling hash and its chains, and longest_match (matcher.ts);
//   - deflate_slow's lazy matching with level 6's parameters and the TOO_FAR rule (here);
//   - block splitting when the symbol buffer fills (blocks.ts);
//   - the Huffman trees of trees.c (trees.ts) and _tr_flush_block's exact stored / fixed /
//     dynamic choice (block-choice.ts).
// Inputs longer than DEFLATE_MAX_INPUT are left to the caller (which falls back to pako), because
// above that zlib starts sliding its window, which this implementation does not reproduce.
import { adler32 } from './adler32.js'
import { BitWriter } from './bit-writer.js'
import { literalUsedBits } from './block-choice.js'
import { flushBlock, matchStarts, matches, resetBlock, SYMBOLS_PER_BLOCK } from './blocks.js'
import { buildHashChains, longestMatch, MAX_DIST, WSIZE } from './matcher.js'
import { distanceCode, LENGTH_CODE } from './tables.js'
import { dtree, ltree } from './trees.js'
import { WASM_MATCHER_MIN_INPUT, type WasmMatcher, wasmMatcher } from './wasm-matcher.js'

/**
 * The largest input {@link deflateView} compresses. zlib reads the whole input into its 64 KiB
 * window and only slides the window (renumbering positions and possibly forbidding a stored
 * block) once the current position reaches WSIZE + MAX_DIST = 65274, which for an input of n
 * bytes happens at the latest when position n is reached. So for n < 65274 nothing ever slides
 * and the block boundaries are exactly those reproduced here.
 */
export const DEFLATE_MAX_INPUT = WSIZE + MAX_DIST - 1

/** zlib header (RFC 1950 §2.2) CMF: deflate with a 32K window. */
const ZLIB_CMF = 0x78
/** FLG for level 6: the default-compression level flags, no dictionary, and the check bits. */
const ZLIB_FLG = 0x9c

const writer = new BitWriter()
/**
 * Whether the symbol counts are those of an empty block: true once a call has completed (its
 * last flush reset them), false before the first call and after a call that did not complete.
 */
let countsReset = false

/**
 * zlib-wraps `data` (RFC 1950) with a deflate stream byte-identical to C zlib 1.2.13's
 * `compress()` at the defaults (level 6, windowBits 15, memLevel 8) and to
 * `pako.deflate(data, { level: 6, windowBits: 15, memLevel: 8, legacyHash: true })`.
 *
 * Synchronous and not reentrant (it reuses module-level buffers), which is fine for JavaScript's
 * run-to-completion model.
 *
 * @returns a view of the compressor's output buffer, which the next call overwrites (read it at
 *   once, keep nothing), or `undefined` when `data` is longer than {@link DEFLATE_MAX_INPUT}
 *   and the caller must use a general-purpose deflate
 */
export function deflateView(data: Uint8Array): Uint8Array | undefined {
  const n = data.length
  if (n > DEFLATE_MAX_INPUT) return undefined
  writer.reset(outputBound(n))
  writer.putByte(ZLIB_CMF)
  writer.putByte(ZLIB_FLG)
  // Every flush starts the next block afresh, so after a completed call this is done already.
  if (!countsReset) resetBlock()
  countsReset = false
  // Inputs (every token's payload) are matched in WebAssembly where the runtime allows it. The
  // choice is made here, so that deflateBlocks, the JavaScript path of runtimes without it (and of
  // tiny inputs), stays the function it was (its size and shape decide what V8 inlines into it).
  const wasm = n > WASM_MATCHER_MIN_INPUT ? wasmMatcher() : undefined
  const matchCount =
    wasm === undefined ? deflateBlocks(data, n) : deflateBlocksInWasm(wasm, data, n)
  if (lastLiteralPending) {
    // zlib emits the last pending literal without checking for a full buffer.
    const lit = data[n - 1]
    ltree.freq[lit]++
    literalUsedBits[lit >>> 5] |= 1 << (lit & 31)
  }
  flushBlock(writer, data, lastBlockStart, n - lastBlockStart, true, matchCount, wasm)
  countsReset = true
  // A wasm-matched input is in wasm memory already: summed there, ~3x faster than adler32.ts.
  const check = wasm === undefined ? adler32(data) : wasm.adler32(n) >>> 0
  writer.putByte(check >>> 24)
  writer.putByte((check >>> 16) & 0xff)
  writer.putByte((check >>> 8) & 0xff)
  writer.putByte(check & 0xff)
  return writer.view()
}

/**
 * The most bytes the stream of an n-byte input takes. Each block is at most its stored size plus
 * 6 bytes (3 header bits and padding, LEN and NLEN; a coded block is only chosen when smaller),
 * there are at most n / 16383 + 2 blocks, plus 2 header and 4 trailer bytes.
 */
function outputBound(n: number): number {
  return n + 6 * (Math.floor(n / SYMBOLS_PER_BLOCK) + 2) + 6
}

/**
 * deflate_slow's parameters at level 6 (deflate.c configuration_table[6]) and the other numbers
 * its loop uses, as a const enum so that the compiler writes them into the loop as literals: V8's
 * optimised code reads a module constant from the module context on every use, which in this
 * loop cost registers and loads (an ~8 KB deflate ran ~5% slower).
 */
// biome-ignore lint/suspicious/noConstEnum: file-local, so esbuild and tsc inline its members
const enum Lazy {
  /** tables.ts MIN_MATCH. */
  MinMatch = 3,
  /** Lazy matching is only attempted after matches shorter than this. */
  MaxLazy = 16,
  /** matcher.ts MAX_DIST. */
  MaxDist = 32506,
  /** zlib drops 3-byte matches farther than this: their code usually costs more than 3 literals. */
  TooFar = 4096,
  /** matcher.ts MATCH_START_SHIFT. */
  MatchStartShift = 9,
  /** matcher.ts MATCH_LENGTH_MASK. */
  MatchLengthMask = 511,
  /** blocks.ts SYMBOL_DIST_SHIFT. */
  SymbolDistShift = 8,
  /** tables.ts LITERALS + 1: the symbol of length code 0. */
  FirstLengthSymbol = 257,
  /** blocks.ts SYMBOLS_PER_BLOCK. */
  SymbolsPerBlock = 16383,
}

/** Up to this many bytes, deflateBlocks matches in a copy of its input, {@link shortInput}. */
const SHORT_INPUT_BYTES = 1024
const shortInput = new Uint8Array(SHORT_INPUT_BYTES)
const shortInputView = new DataView(shortInput.buffer)

/** Where the last block starts when deflateBlocks returns. */
let lastBlockStart = 0
/** Whether deflateBlocks left the last byte as a pending literal. */
let lastLiteralPending = false

/**
 * zlib's deflate_slow with flush = Z_FINISH, up to the last block: flushes every full block and
 * returns the match count of the last one, whose start and pending literal it leaves in
 * {@link lastBlockStart} and {@link lastLiteralPending} for the caller to finish. Nothing after
 * the loop needs type feedback: V8 may compile the loop alone during a first large call, and
 * code after it that had never run would make that code bail out at the end of every call.
 */
function deflateBlocks(input: Uint8Array, n: number): number {
  // The match search reads through a DataView. A short input is copied into memory that has one
  // already (a copy of a token's bytes costs a quarter of making a DataView for them).
  let data = input
  let view: DataView
  if (n <= SHORT_INPUT_BYTES) {
    shortInput.set(input)
    data = shortInput
    view = shortInputView
  } else {
    view = new DataView(input.buffer, input.byteOffset, n)
  }
  const chains = buildHashChains(data, view, n)
  const lFreq = ltree.freq
  const dFreq = dtree.freq
  const usedBits = literalUsedBits
  // Module-level state is kept in locals for this loop. A block's literals are not buffered:
  // they are the bytes its matches leave (see blocks.ts `matches`), so only they are counted.
  let count = 0
  let matchCount = 0
  let strstart = 0
  let lookahead = n
  let blockStart = 0
  let matchLength = Lazy.MinMatch - 1
  let matchStart = 0
  let matchAvailable = false
  while (lookahead > 0) {
    if (matchAvailable && matchLength < Lazy.MinMatch) {
      // No match pending and the previous byte waiting: while a position has no earlier
      // position with its hash, nothing is searched and the byte before it is a literal
      // (the general step below would do the same, with more branches per byte).
      while (lookahead >= Lazy.MinMatch && chains[strstart] === 0) {
        const lit = data[strstart - 1]
        count++
        lFreq[lit]++
        usedBits[lit >>> 5] |= 1 << (lit & 31)
        if (count === Lazy.SymbolsPerBlock) {
          flushBlock(writer, data, blockStart, strstart - blockStart, false, matchCount)
          count = 0
          matchCount = 0
          blockStart = strstart
        }
        strstart++
        lookahead--
      }
    }
    const hashHead = lookahead >= Lazy.MinMatch ? chains[strstart] : 0
    const prevLength = matchLength
    const prevMatch = matchStart
    matchLength = Lazy.MinMatch - 1
    if (hashHead !== 0 && prevLength < Lazy.MaxLazy && strstart - hashHead <= Lazy.MaxDist) {
      const found = longestMatch(data, view, chains, strstart, lookahead, hashHead, prevLength)
      matchLength = found & Lazy.MatchLengthMask
      if (found > Lazy.MatchLengthMask) matchStart = found >>> Lazy.MatchStartShift
      if (matchLength === Lazy.MinMatch && strstart - matchStart > Lazy.TooFar) {
        matchLength = Lazy.MinMatch - 1
      }
    }
    if (prevLength >= Lazy.MinMatch && matchLength <= prevLength) {
      // The match found at the previous position is at least as good: emit it. It started one
      // byte back; its remaining positions were already put in the hash chains.
      const dist = strstart - 1 - prevMatch
      const lc = prevLength - Lazy.MinMatch
      matches[matchCount] = (dist << Lazy.SymbolDistShift) | lc
      matchStarts[matchCount++] = strstart - 1
      count++
      const lsym = LENGTH_CODE[lc] + Lazy.FirstLengthSymbol
      lFreq[lsym]++
      usedBits[lsym >>> 5] |= 1 << (lsym & 31)
      dFreq[distanceCode(dist - 1)]++
      lookahead -= prevLength - 1
      strstart += prevLength - 1
      matchAvailable = false
      matchLength = Lazy.MinMatch - 1
      if (count === Lazy.SymbolsPerBlock) {
        flushBlock(writer, data, blockStart, strstart - blockStart, false, matchCount)
        count = 0
        matchCount = 0
        blockStart = strstart
      }
    } else if (matchAvailable) {
      // No better match here: the previous position becomes a literal; this one waits.
      const lit = data[strstart - 1]
      count++
      lFreq[lit]++
      usedBits[lit >>> 5] |= 1 << (lit & 31)
      if (count === Lazy.SymbolsPerBlock) {
        flushBlock(writer, data, blockStart, strstart - blockStart, false, matchCount)
        count = 0
        matchCount = 0
        blockStart = strstart
      }
      strstart++
      lookahead--
    } else {
      // Defer the decision on this position until the next one has been searched.
      matchAvailable = true
      strstart++
      lookahead--
    }
  }
  lastBlockStart = blockStart
  lastLiteralPending = matchAvailable
  return matchCount
}

/**
 * {@link deflateBlocks} by the WebAssembly match finder (wasm-matcher.ts): the same chains, the
 * same loop and the same blocks, found in wasm memory. After each full block, and at the end, the
 * block's symbol counts are copied into the arrays that flushBlock decides from, and flushBlock
 * has wasm write the symbols from the matches it holds, so the blocks are exactly those of the
 * JavaScript loop.
 */
function deflateBlocksInWasm(wasm: WasmMatcher, input: Uint8Array, n: number): number {
  wasm.input.set(input)
  wasm.start(n)
  while (wasm.run() !== 0) {
    const blockStart = wasm.currentBlockStart()
    const matchCount = takeWasmBlock(wasm)
    flushBlock(writer, input, blockStart, wasm.fullBlockEnd() - blockStart, false, matchCount, wasm)
  }
  lastBlockStart = wasm.currentBlockStart()
  lastLiteralPending = wasm.lastLiteralPending() !== 0
  return takeWasmBlock(wasm)
}

/**
 * Copies the current block's counts out of wasm memory (the trees and zlib's block choice are
 * made in JS from them); returns the match count. The matches stay there: wasm writes the
 * block's symbols itself (blocks.ts compressBlockInWasm).
 */
function takeWasmBlock(wasm: WasmMatcher): number {
  ltree.freq.set(wasm.literalFreq)
  dtree.freq.set(wasm.distanceFreq)
  literalUsedBits.set(wasm.literalUsedBits)
  return wasm.blockMatchCount()
}
