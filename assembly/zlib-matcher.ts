// AssemblyScript, not TypeScript: compiled to WebAssembly by `npm run generate:wasm-matcher`
// (scripts/generate-wasm-matcher.mjs), which embeds the module as base64 in
// src/lib/zlib/matcher-wasm.generated.ts. Kept outside src/ so that tsc, tsup and biome never
// read it (i32, load<T> and the decorators below are AssemblyScript's own).
//
// The large-input match finder of src/lib/zlib/: the same hash chains (matcher.ts
// buildHashChains, zlib's INSERT_STRING), the same longest_match (matcher.ts longestMatch) and the
// same deflate_slow main loop (deflate.ts deflateBlocks), decision for decision, so that the
// output stays byte-identical with C zlib 1.2.13 at level 6. What wasm adds over the JS version:
// unaligned 64-bit loads and ctz to extend a match 8 bytes per step, each chain's links stored
// four to a u64 (see LINKS), bytes read without bounds checks, and code that is compiled once
// ahead of time rather than warmed up by V8.
//
// The JS side (src/lib/zlib/wasm-matcher.ts) copies the input to INPUT and calls `start`, then
// `run` until it returns 0. `run` returns 1 each time a block holds SYMBOLS_PER_BLOCK symbols
// (zlib's sym_buf is full); the JS side then copies that block's counts and matches out of this
// memory, writes the block and calls `run` again, which resumes where it stopped (the loop state
// lives in globals).
//
// Writing a block is shared: the JS side builds the Huffman trees from the counts and makes
// zlib's stored / fixed / dynamic choice (trees.ts, block-choice.ts: once per block, cheap), puts
// the chosen codes into this memory and calls `writeSymbols`, which writes the block's symbols
// (blocks.ts writeSymbols, zlib's compress_block: once per symbol, the costly part) from the input
// and matches already here; the JS side copies the bytes out into its BitWriter.

// ---- Memory layout. Fixed: the input is at most DEFLATE_MAX_INPUT (65,273) bytes, so nothing
// grows. The first 64 KiB are left to the compiler (its globals and static data, if any).

/** The input bytes (zlib's window). At most 65,273 bytes; reads may run up to 8 bytes past. */
export const INPUT: usize = 0x10000
/** head[h]: the latest position with hash h, or 0 (NIL); all 0 between inputs. 32,768 u16. */
const HEAD: usize = 0x20000
/**
 * links[p]: zlib's prev[p] (the previous position with the hash of position p, or 0 for NIL) and
 * the three links after it (prev[prev[p]], ...), as four u16 in one u64, lowest first; the links
 * after a NIL are NIL. 65,536 u64 (see `start` and longestMatch).
 */
const LINKS: usize = 0x30000
/** blocks.ts `matches`: dist << 8 | (len - 3), one i32 per match of the current block. */
export const MATCHES: usize = 0xb0000
/** blocks.ts `matchStarts`: the input position where each match of the current block begins. */
export const MATCH_STARTS: usize = 0xc0000
/** ltree.freq (trees.ts): L_CODES = 286 i32. */
export const LITERAL_FREQ: usize = 0xd0000
/** dtree.freq (trees.ts): D_CODES = 30 i32. */
export const DISTANCE_FREQ: usize = 0xd0800
/** block-choice.ts `literalUsedBits`: one bit per literal/length symbol, 9 i32. */
export const LITERAL_USED_BITS: usize = 0xd0900
/** tables.ts LENGTH_CODE (256 u8), filled in by the JS side. */
export const LENGTH_CODE: usize = 0xd0a00
/** tables.ts DIST_CODE (512 u8), filled in by the JS side. */
export const DIST_CODE: usize = 0xd0b00
/** The current block's literal/length codes (trees.ts ltree.code or STATIC_LTREE_CODE), u16. */
export const LITERAL_CODES: usize = 0xd1000
/** Their lengths in bits (ltree.len or STATIC_LTREE_LEN), u8. */
export const LITERAL_LENGTHS: usize = 0xd1400
/** The current block's distance codes (dtree.code or STATIC_DTREE_CODE), u16. */
export const DISTANCE_CODES: usize = 0xd1600
/** Their lengths in bits (dtree.len or STATIC_DTREE_LEN), u8. */
export const DISTANCE_LENGTHS: usize = 0xd1700
/** tables.ts LENGTH_BASE (29 u16), filled in by the JS side. */
export const LENGTH_BASE: usize = 0xd1800
/** tables.ts LENGTH_EXTRA (29 u8), filled in by the JS side. */
export const LENGTH_EXTRA: usize = 0xd1880
/** tables.ts DIST_BASE (30 u16), filled in by the JS side. */
export const DIST_BASE: usize = 0xd1900
/** tables.ts DIST_EXTRA (30 u8), filled in by the JS side. */
export const DIST_EXTRA: usize = 0xd1980
/** The fixed code (trees.ts STATIC_LTREE_CODE, L_CODES u16), filled in once by the JS side. */
export const FIXED_LITERAL_CODES: usize = 0xd2000
/** Its lengths (STATIC_LTREE_LEN, L_CODES u8). */
export const FIXED_LITERAL_LENGTHS: usize = 0xd2400
/** The fixed distance codes (STATIC_DTREE_CODE, D_CODES u16). */
export const FIXED_DISTANCE_CODES: usize = 0xd2600
/** Their lengths (STATIC_DTREE_LEN, D_CODES u8). */
export const FIXED_DISTANCE_LENGTHS: usize = 0xd2680
/**
 * The bytes `writeSymbols` writes for one block. A coded block is only chosen when it is smaller
 * than the block stored (block-choice.ts), so it takes less than the input's 64 KiB plus a few
 * bytes; the last 8-byte store may reach 8 bytes further.
 */
export const OUTPUT: usize = 0xe0000
/** The end of the layout: the module's memory is this size (16 pages of 64 KiB). */
export const MEMORY_END: usize = 0x100000

// ---- zlib's numbers at level 6 (deflate.c configuration_table[6], windowBits 15, memLevel 8).

const MIN_MATCH: i32 = 3
const MAX_MATCH: i32 = 258
/** Lengths of at least this size cut the hash-chain search to a quarter. */
const GOOD_LENGTH: i32 = 8
/** Lazy matching is only attempted after matches shorter than this. */
const MAX_LAZY: i32 = 16
/** A match this long stops the chain search at once. */
const NICE_LENGTH: i32 = 128
/** At most this many hash-chain entries are examined per search. */
const MAX_CHAIN: i32 = 128
/** WSIZE - MIN_LOOKAHEAD: the farthest back a match may start. */
const MAX_DIST: i32 = 32506
/** zlib drops 3-byte matches farther than this: their code usually costs more than 3 literals. */
const TOO_FAR: i32 = 4096
/** The legacy hash: 15 bits, shifted by 5 per byte. */
const HASH_SHIFT: i32 = 5
const HASH_MASK: i32 = (1 << 15) - 1
/** longestMatch returns the match start above these bits and the length below. */
const MATCH_START_SHIFT: i32 = 9
const MATCH_LENGTH_MASK: i32 = (1 << MATCH_START_SHIFT) - 1
/** blocks.ts SYMBOL_DIST_SHIFT. */
const SYMBOL_DIST_SHIFT: i32 = 8
/** tables.ts LITERALS + 1: the symbol of length code 0; also END_BLOCK + 1. */
const FIRST_LENGTH_SYMBOL: i32 = 257
const END_BLOCK: i32 = 256
const L_CODES: i32 = 286
const D_CODES: i32 = 30
/** blocks.ts SYMBOLS_PER_BLOCK: zlib flushes when its symbol buffer holds this many. */
const SYMBOLS_PER_BLOCK: i32 = 16383
/** From this many positions on, `start` clears head with one memset. */
const CLEAR_HEAD_BY_FILL: i32 = 2048

// ---- The state of deflate_slow between calls of `run` (deflate.ts keeps these in locals, and so
// does `run` while it runs: V8 keeps a wasm global in the instance, not in a register, and loads
// and stores it at every use).

let savedStrstart: i32 = 0
let savedLookahead: i32 = 0
let savedMatchLength: i32 = 0
let savedMatchStart: i32 = 0
let savedMatchAvailable: bool = false
let savedCount: i32 = 0
let blockStart: i32 = 0
/** Where the block that made `run` return ends; the next block starts there. */
let blockEnd: i32 = 0
let blockFull: bool = false
let matchCount: i32 = 0

/** The start of the current block (the last one, once `run` has returned 0). */
export function currentBlockStart(): i32 {
  return blockStart
}

/** The end of the block that made `run` return 1. */
export function fullBlockEnd(): i32 {
  return blockEnd
}

/** How many matches the current block has at MATCHES and MATCH_STARTS. */
export function blockMatchCount(): i32 {
  return matchCount
}

/** 1 when the last byte is left as a pending literal (once `run` has returned 0). */
export function lastLiteralPending(): i32 {
  return savedMatchAvailable ? 1 : 0
}

/** Starts a new block: only the end-of-block symbol is known to occur (zlib's init_block). */
function resetBlock(): void {
  memory.fill(LITERAL_FREQ, 0, <usize>L_CODES << 2)
  memory.fill(DISTANCE_FREQ, 0, <usize>D_CODES << 2)
  memory.fill(LITERAL_USED_BITS, 0, 9 << 2)
  store<i32>(LITERAL_FREQ + (<usize>END_BLOCK << 2), 1)
  store<i32>(LITERAL_USED_BITS + (<usize>(END_BLOCK >>> 5) << 2), 1 << (END_BLOCK & 31))
  savedCount = 0
  matchCount = 0
}

/**
 * Takes the `length` bytes at INPUT: builds their hash chains (matcher.ts buildHashChains) and
 * sets deflate_slow up at position 0 with an empty block.
 */
export function start(length: i32): void {
  // links[0] stands for NIL: position 0 (zlib's NIL too) and every chain end read it as 0s.
  store<u64>(LINKS, 0)
  const last = length - MIN_MATCH
  if (last >= 0) {
    // The legacy rolling hash: after three updates it is ((a << 10) ^ (b << 5) ^ c) & HASH_MASK
    // for the bytes a b c at p. zlib inserts positions in increasing order and searches p right
    // after inserting it, so the chain it walks from p is prev[p], prev[prev[p]], ...
    let h = ((<i32>load<u8>(INPUT) << HASH_SHIFT) ^ <i32>load<u8>(INPUT + 1)) & HASH_MASK
    for (let p: i32 = 0; p <= last; p++) {
      h = ((h << HASH_SHIFT) ^ <i32>load<u8>(INPUT + <usize>p + 2)) & HASH_MASK
      const slot = HEAD + (<usize>h << 1)
      // p's chain is q = head[h] followed by q's chain: one u64 load and shift gives p's first
      // four links. The load does not depend on the previous position's, so it costs little here,
      // and longestMatch then waits for one load per four candidates instead of one per candidate.
      const q = <u64>load<u16>(slot)
      store<u64>(LINKS + (<usize>p << 3), (load<u64>(LINKS + (<usize>q << 3)) << 16) | q)
      store<u16>(slot, <u16>p)
    }
    // head is only needed while the chains are built: it is left empty for the next input, all
    // at once (64 KiB of memset) for a large input, entry by entry for a small one, where the
    // memset would cost more than the rest of the chain building.
    if (last >= CLEAR_HEAD_BY_FILL) {
      memory.fill(HEAD, 0, 1 << 16)
    } else {
      h = ((<i32>load<u8>(INPUT) << HASH_SHIFT) ^ <i32>load<u8>(INPUT + 1)) & HASH_MASK
      for (let p: i32 = 0; p <= last; p++) {
        h = ((h << HASH_SHIFT) ^ <i32>load<u8>(INPUT + <usize>p + 2)) & HASH_MASK
        store<u16>(HEAD + (<usize>h << 1), 0)
      }
    }
  }
  savedStrstart = 0
  savedLookahead = length
  savedMatchLength = MIN_MATCH - 1
  savedMatchStart = 0
  savedMatchAvailable = false
  blockStart = 0
  blockEnd = 0
  blockFull = false
  resetBlock()
}

/** prev[p] (zlib's prev[p & WMASK], the same below 65,536): the first of links[p]. */
// @ts-ignore: decorator
@inline
function chainAt(p: i32): i32 {
  return <i32>load<u16>(LINKS + (<usize>p << 3))
}

/** Counts literal/length symbol `sym` into the block (ltree.freq and literalUsedBits). */
// @ts-ignore: decorator
@inline
function countLiteralSymbol(sym: i32): void {
  const freq = LITERAL_FREQ + (<usize>sym << 2)
  store<i32>(freq, load<i32>(freq) + 1)
  const bits = LITERAL_USED_BITS + (<usize>(sym >>> 5) << 2)
  store<i32>(bits, load<i32>(bits) | (1 << (sym & 31)))
}

/**
 * deflate_slow with flush = Z_FINISH (deflate.ts deflateBlocks), from where the last call
 * stopped: returns 1 when the current block is full (its end in fullBlockEnd(), its counts and
 * matches in memory), 0 when the input is done (the last block's start and pending literal then
 * in currentBlockStart() and lastLiteralPending()). Every `return 1` comes where deflateBlocks
 * calls flushBlock, after the rest of that step, so that resuming at the top of the loop goes on
 * exactly as deflateBlocks does.
 */
export function run(): i32 {
  if (blockFull) {
    blockFull = false
    blockStart = blockEnd
    resetBlock()
  }
  let strstart = savedStrstart
  let lookahead = savedLookahead
  let matchLength = savedMatchLength
  let matchStart = savedMatchStart
  let matchAvailable = savedMatchAvailable
  let count = savedCount
  let full = false
  while (lookahead > 0) {
    if (matchAvailable && matchLength < MIN_MATCH) {
      // No match pending and the previous byte waiting: while a position has no earlier
      // position with its hash, nothing is searched and the byte before it is a literal.
      while (lookahead >= MIN_MATCH && chainAt(strstart) == 0) {
        countLiteralSymbol(<i32>load<u8>(INPUT + <usize>strstart - 1))
        full = ++count == SYMBOLS_PER_BLOCK
        if (full) blockEnd = strstart
        strstart++
        lookahead--
        if (full) break
      }
      if (full) break
    }
    const hashHead = lookahead >= MIN_MATCH ? chainAt(strstart) : 0
    const prevLength = matchLength
    const prevMatch = matchStart
    matchLength = MIN_MATCH - 1
    if (hashHead != 0 && prevLength < MAX_LAZY && strstart - hashHead <= MAX_DIST) {
      const found = longestMatch(strstart, lookahead, hashHead, prevLength)
      matchLength = found & MATCH_LENGTH_MASK
      if (found > MATCH_LENGTH_MASK) matchStart = found >>> MATCH_START_SHIFT
      if (matchLength == MIN_MATCH && strstart - matchStart > TOO_FAR) {
        matchLength = MIN_MATCH - 1
      }
    }
    if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
      // The match found at the previous position is at least as good: emit it. It started one
      // byte back; its remaining positions are already in the hash chains.
      const dist = strstart - 1 - prevMatch
      const lc = prevLength - MIN_MATCH
      store<i32>(MATCHES + (<usize>matchCount << 2), (dist << SYMBOL_DIST_SHIFT) | lc)
      store<i32>(MATCH_STARTS + (<usize>matchCount << 2), strstart - 1)
      matchCount++
      countLiteralSymbol(<i32>load<u8>(LENGTH_CODE + <usize>lc) + FIRST_LENGTH_SYMBOL)
      // tables.ts distanceCode(dist - 1).
      const d = dist - 1
      const distIndex: i32 = d < 256 ? d : 256 + (d >> 7)
      const dc = <i32>load<u8>(DIST_CODE + <usize>distIndex)
      const dfreq = DISTANCE_FREQ + (<usize>dc << 2)
      store<i32>(dfreq, load<i32>(dfreq) + 1)
      lookahead -= prevLength - 1
      strstart += prevLength - 1
      matchAvailable = false
      matchLength = MIN_MATCH - 1
      full = ++count == SYMBOLS_PER_BLOCK
      if (full) {
        blockEnd = strstart
        break
      }
    } else if (matchAvailable) {
      // No better match here: the previous position becomes a literal; this one waits.
      countLiteralSymbol(<i32>load<u8>(INPUT + <usize>strstart - 1))
      full = ++count == SYMBOLS_PER_BLOCK
      if (full) blockEnd = strstart
      strstart++
      lookahead--
      if (full) break
    } else {
      // Defer the decision on this position until the next one has been searched.
      matchAvailable = true
      strstart++
      lookahead--
    }
  }
  savedStrstart = strstart
  savedLookahead = lookahead
  savedMatchLength = matchLength
  savedMatchStart = matchStart
  savedMatchAvailable = matchAvailable
  savedCount = count
  blockFull = full
  return full ? 1 : 0
}

/**
 * zlib's longest_match (matcher.ts longestMatch): walks the hash chain from `candidate` and
 * returns the best match length at `pos` (at most `lookahead`), with the match start above
 * MATCH_START_SHIFT bits when that beats `prevLength`.
 *
 * A candidate is compared in full only if it agrees at bestLen - 1, bestLen, 0 and 1; then byte 2
 * agrees too (equal hashes and equal first two bytes make the third equal), so the comparison
 * goes on from byte 3, eight bytes at a time: the first differing byte is the lowest set byte of
 * the XOR of two little-endian u64 loads. Those loads may read past maxLen (past the input, into
 * bytes of an earlier input, but still inside INPUT's 64 KiB), so the length is clipped to maxLen
 * afterwards: every byte before maxLen was compared, and a match reaching maxLen is maxLen long
 * whatever follows (zlib itself compares into its window's zeros and clips the same way).
 */
// @ts-ignore: decorator
@inline
function longestMatch(pos: i32, lookahead: i32, candidate: i32, prevLength: i32): i32 {
  let chainLength = prevLength >= GOOD_LENGTH ? MAX_CHAIN >> 2 : MAX_CHAIN
  const nice = NICE_LENGTH < lookahead ? NICE_LENGTH : lookahead
  const maxLen = MAX_MATCH < lookahead ? MAX_MATCH : lookahead
  let bestLen = prevLength
  // The previous match already reaches the end of input: nothing can beat it.
  if (bestLen >= maxLen) return maxLen
  const limit = pos > MAX_DIST ? pos - MAX_DIST : 0
  const scan = INPUT + <usize>pos
  const startPair = load<u16>(scan)
  let endPair = load<u16>(scan + <usize>bestLen - 1)
  let cur = candidate
  let start: i32 = 0
  // The links after `candidate` (prev[pos]), lowest first; when they run out, the next four
  // are those of the current candidate. Walking the chain then waits for one load (links are
  // 512 KiB, beyond the L1 cache) per four candidates: ~60 KB RTM2 builds ~14% faster.
  let links = load<u64>(LINKS + (<usize>pos << 3)) >> 16
  do {
    const match = INPUT + <usize>cur
    if (load<u16>(match + <usize>bestLen - 1) == endPair && load<u16>(match) == startPair) {
      let len = MIN_MATCH
      for (;;) {
        const diff = load<u64>(match + <usize>len) ^ load<u64>(scan + <usize>len)
        if (diff != 0) {
          len += <i32>(ctz<u64>(diff) >> 3)
          break
        }
        len += 8
        if (len >= maxLen) break
      }
      if (len > maxLen) len = maxLen
      if (len > bestLen) {
        start = cur
        bestLen = len
        if (len >= nice) break
        endPair = load<u16>(scan + <usize>len - 1)
      }
    }
    if (links == 0) links = load<u64>(LINKS + (<usize>cur << 3))
    cur = <i32>(links & 0xffff)
    links >>= 16
    chainLength--
  } while (cur > limit && chainLength != 0)
  return (start << MATCH_START_SHIFT) | bestLen
}

/**
 * blocks.ts writeSymbols (zlib's compress_block) for the current block, `INPUT[start, end)` with
 * its `matchCount` matches at MATCHES / MATCH_STARTS, followed by the end-of-block code, with the
 * fixed code (`fixed` 1: FIXED_LITERAL_CODES .. FIXED_DISTANCE_LENGTHS) or the dynamic codes the
 * JS side has put at LITERAL_CODES .. DISTANCE_LENGTHS (the JS side builds the trees and makes
 * zlib's choice). The bits continue the BitWriter's pending `bitCount` (< 8) bits `bits` and go
 * to OUTPUT, from its first byte (which starts with those pending bits). Returns the number of complete bytes written << 11 | the bits left pending << 3
 * | their count (< 8); the JS side copies the bytes into its writer.
 *
 * The bit buffer is 64 bits wide, so that a match (at most 7 pending + 15 + 5 + 15 + 13 = 55 bits)
 * and up to three literals (7 + 3 * 15 = 52 bits) each take one store: after each piece the buffer is
 * stored as 8 bytes, of which the complete ones are kept and fewer than 8 bits stay pending (no
 * branch on the bit count, as in blocks.ts).
 */
export function writeSymbols(
  start: i32,
  end: i32,
  matchCount: i32,
  bits: i32,
  bitCount: i32,
  fixed: i32,
): i32 {
  const literalCodes = fixed != 0 ? FIXED_LITERAL_CODES : LITERAL_CODES
  const literalLengths = fixed != 0 ? FIXED_LITERAL_LENGTHS : LITERAL_LENGTHS
  const distanceCodes = fixed != 0 ? FIXED_DISTANCE_CODES : DISTANCE_CODES
  const distanceLengths = fixed != 0 ? FIXED_DISTANCE_LENGTHS : DISTANCE_LENGTHS
  let out = OUTPUT
  let buf: u64 = <u64>bits
  let cnt: u64 = <u64>bitCount
  let p = start
  for (let k: i32 = 0; k <= matchCount; k++) {
    // The literals up to match k (after the last match: up to the end of the block).
    const literalsEnd = k < matchCount ? load<i32>(MATCH_STARTS + (<usize>k << 2)) : end
    for (; p + 3 <= literalsEnd; p += 3) {
      const a = <usize>load<u8>(INPUT + <usize>p)
      const b = <usize>load<u8>(INPUT + <usize>p + 1)
      const c = <usize>load<u8>(INPUT + <usize>p + 2)
      buf |= <u64>load<u16>(literalCodes + (a << 1)) << cnt
      cnt += <u64>load<u8>(literalLengths + a)
      buf |= <u64>load<u16>(literalCodes + (b << 1)) << cnt
      cnt += <u64>load<u8>(literalLengths + b)
      buf |= <u64>load<u16>(literalCodes + (c << 1)) << cnt
      cnt += <u64>load<u8>(literalLengths + c)
      store<u64>(out, buf)
      out += <usize>(cnt >> 3)
      buf >>= cnt & ~7
      cnt &= 7
    }
    for (; p < literalsEnd; p++) {
      const a = <usize>load<u8>(INPUT + <usize>p)
      buf |= <u64>load<u16>(literalCodes + (a << 1)) << cnt
      cnt += <u64>load<u8>(literalLengths + a)
    }
    // Up to two literals (7 + 30 bits) are pending here.
    store<u64>(out, buf)
    out += <usize>(cnt >> 3)
    buf >>= cnt & ~7
    cnt &= 7
    if (k < matchCount) {
      // zlib's send_code of the length code, its extra bits, the distance code, its extra bits.
      const symbol = load<i32>(MATCHES + (<usize>k << 2))
      const dist = symbol >> SYMBOL_DIST_SHIFT
      const lc = symbol & 0xff
      p += lc + MIN_MATCH
      const code = <usize>load<u8>(LENGTH_CODE + <usize>lc)
      const sym = code + <usize>FIRST_LENGTH_SYMBOL
      buf |= <u64>load<u16>(literalCodes + (sym << 1)) << cnt
      cnt += <u64>load<u8>(literalLengths + sym)
      buf |= <u64>(lc + MIN_MATCH - <i32>load<u16>(LENGTH_BASE + (code << 1))) << cnt
      cnt += <u64>load<u8>(LENGTH_EXTRA + code)
      // tables.ts distanceCode(dist - 1).
      const d = dist - 1
      const dc = <usize>load<u8>(DIST_CODE + <usize>(d < 256 ? d : 256 + (d >> 7)))
      buf |= <u64>load<u16>(distanceCodes + (dc << 1)) << cnt
      cnt += <u64>load<u8>(distanceLengths + dc)
      buf |= <u64>(dist - <i32>load<u16>(DIST_BASE + (dc << 1))) << cnt
      cnt += <u64>load<u8>(DIST_EXTRA + dc)
      store<u64>(out, buf)
      out += <usize>(cnt >> 3)
      buf >>= cnt & ~7
      cnt &= 7
    }
  }
  buf |= <u64>load<u16>(literalCodes + (<usize>END_BLOCK << 1)) << cnt
  cnt += <u64>load<u8>(literalLengths + <usize>END_BLOCK)
  store<u64>(out, buf)
  out += <usize>(cnt >> 3)
  buf >>= cnt & ~7
  cnt &= 7
  return (<i32>(out - OUTPUT) << 11) | (<i32>buf << 3) | <i32>cnt
}

/** zlib's adler32 of INPUT[0, length): the checksum that ends the stream (adler32.ts). */
export function adler32(length: i32): u32 {
  let a: u32 = 1
  let b: u32 = 0
  let i: i32 = 0
  while (i < length) {
    // zlib's NMAX: the most bytes summed before both u32 sums must be reduced.
    const chunkEnd = length - i > 5552 ? i + 5552 : length
    for (; i + 4 <= chunkEnd; i += 4) {
      const x0 = <u32>load<u8>(INPUT + <usize>i)
      const x1 = <u32>load<u8>(INPUT + <usize>i + 1)
      const x2 = <u32>load<u8>(INPUT + <usize>i + 2)
      const x3 = <u32>load<u8>(INPUT + <usize>i + 3)
      b += (a << 2) + (x0 << 2) + 3 * x1 + (x2 << 1) + x3
      a += x0 + x1 + x2 + x3
    }
    for (; i < chunkEnd; i++) {
      a += <u32>load<u8>(INPUT + <usize>i)
      b += a
    }
    a %= 65521
    b %= 65521
  }
  return (b << 16) | a
}
