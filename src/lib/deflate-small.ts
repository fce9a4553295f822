// A fast deflate for token-sized inputs whose output is byte-identical to C zlib 1.2.13 (and to
// pako with `legacyHash: true`) at the default settings: level 6, 15-bit window, memLevel 8,
// default strategy. That is what the Python, Java, C++, PHP and Ruby reference implementations
// emit, so tokens built here match theirs byte for byte.
//
// Why not just call pako: a one-shot pako deflate allocates a 64 KiB window, a 64 KiB pending
// buffer and clears a 32K-entry hash table for every call, which dominates the cost of
// compressing a ~150-byte payload. Here every table is allocated once and reused, the hash table
// is invalidated with a generation offset instead of being cleared, and the hash chains are built
// in one tight pass before matching.
//
// Identity with zlib holds because every decision zlib makes is reproduced exactly:
//   - the legacy 15-bit rolling hash and its chains (deflate.c UPDATE_HASH / INSERT_STRING),
//   - deflate_slow's lazy matching with level 6's parameters (good 8, lazy 16, nice 128,
//     chain 128) and the TOO_FAR rule,
//   - block splitting when the symbol buffer fills (lit_bufsize - 1 = 16383 symbols),
//   - the Huffman trees of trees.c (heap order, tie-breaking on depth, the length-overflow
//     fix-up, the forced second code, the bit-length tree), and _tr_flush_block's exact
//     stored / fixed / dynamic choice.
// Inputs longer than DEFLATE_SMALL_MAX are left to the caller (which falls back to pako), because
// above that zlib starts sliding its window, which this implementation does not reproduce.

import {
  CODE_LENGTH_ORDER,
  DIST_BASE,
  DIST_EXTRA,
  LENGTH_BASE,
  LENGTH_EXTRA,
  reverseBits,
} from './deflate-tables.js'

// ---------------------------------------------------------------------------------------------
// zlib parameters for level 6, windowBits 15, memLevel 8 (deflate.c configuration_table[6]).

/** Lengths of at least this size cut the hash-chain search to a quarter. */
const GOOD_LENGTH = 8
/** Lazy matching is only attempted after matches shorter than this. */
const MAX_LAZY = 16
/** A match this long stops the chain search at once. */
const NICE_LENGTH = 128
/** At most this many hash-chain entries are examined per search. */
const MAX_CHAIN = 128

/** RFC 1951 §3.2.5: matches are 3..258 bytes long. */
const MIN_MATCH = 3
const MAX_MATCH = 258
/** zlib's window (32 KiB, windowBits 15). */
const WSIZE = 1 << 15
/** zlib keeps this much lookahead and never matches farther back than WSIZE minus it. */
const MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1
const MAX_DIST = WSIZE - MIN_LOOKAHEAD
/** zlib drops 3-byte matches farther than this: their code usually costs more than 3 literals. */
const TOO_FAR = 4096

/** Legacy hash: hash_bits = memLevel + 7 = 15, shifted by ceil(15 / 3) = 5 per byte. */
const HASH_BITS = 15
const HASH_MASK = (1 << HASH_BITS) - 1
const HASH_SHIFT = 5

/**
 * zlib flushes a block when its symbol buffer holds lit_bufsize - 1 symbols, where
 * lit_bufsize = 1 << (memLevel + 6) = 16384 (deflate.c, `sym_end`).
 */
const SYMBOLS_PER_BLOCK = (1 << (8 + 6)) - 1

/**
 * The largest input {@link deflateSmall} compresses. zlib reads the whole input into its 64 KiB
 * window and only slides the window (renumbering positions and possibly forbidding a stored
 * block) once the current position reaches WSIZE + MAX_DIST = 65274, which for an input of n
 * bytes happens at the latest when position n is reached. So for n < 65274 nothing ever slides
 * and the block boundaries are exactly those reproduced here.
 */
export const DEFLATE_SMALL_MAX = WSIZE + MAX_DIST - 1

// ---------------------------------------------------------------------------------------------
// Deflate format tables (RFC 1951 §3.2.5, §3.2.6, §3.2.7).

const LITERALS = 256
const END_BLOCK = 256
const LENGTH_CODES = 29
/** Literal/length alphabet size used by dynamic trees: 256 literals, end of block, 29 lengths. */
const L_CODES = LITERALS + 1 + LENGTH_CODES
const D_CODES = 30
const BL_CODES = 19
const MAX_BITS = 15
const MAX_BL_BITS = 7
/** Bit-length alphabet: repeat previous length 3-6 times, repeat zero 3-10 and 11-138 times. */
const REP_3_6 = 16
const REPZ_3_10 = 17
const REPZ_11_138 = 18

/** Node storage for the largest tree (zlib's HEAP_SIZE): leaves plus internal nodes. */
const HEAP_SIZE = 2 * L_CODES + 1

/** Extra bits of the bit-length codes 16, 17 and 18 (RFC 1951 §3.2.7). */
const BL_EXTRA = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7)
/** Length code (0..28) of a match length minus 3. */
const LENGTH_CODE = new Uint8Array(256)
/**
 * Distance code of (distance - 1): entries 0..255 are indexed directly, entries 256..511 by
 * 256 + ((distance - 1) >> 7), which works because every code from 16 on spans a multiple of 128.
 */
const DIST_CODE = new Uint8Array(512)

for (let code = 0; code < LENGTH_CODES; code++) {
  const first = LENGTH_BASE[code] - MIN_MATCH
  const end = code + 1 < LENGTH_CODES ? LENGTH_BASE[code + 1] - MIN_MATCH : 256
  // Length 258 has its own code (285) although code 284's extra bits could also express it.
  LENGTH_CODE.fill(code, first, Math.min(end, 255))
}
LENGTH_CODE[255] = LENGTH_CODES - 1
for (let code = 0; code < D_CODES; code++) {
  const first = DIST_BASE[code] - 1
  const last = first + (1 << DIST_EXTRA[code]) - 1
  if (first < 256) DIST_CODE.fill(code, first, last + 1)
  else DIST_CODE.fill(code, 256 + (first >> 7), 256 + (last >> 7) + 1)
}

function distanceCode(distMinus1: number): number {
  return distMinus1 < 256 ? DIST_CODE[distMinus1] : DIST_CODE[256 + (distMinus1 >> 7)]
}

/** Scratch for {@link assignCanonicalCodes}: the next code of each length. */
const nextCode = new Int32Array(MAX_BITS + 1)

/**
 * Gives codes of equal length consecutive values in symbol order, shorter codes first
 * (RFC 1951 §3.2.2; zlib's gen_codes), stored bit-reversed for LSB-first output.
 */
function assignCanonicalCodes(
  lens: Uint8Array,
  codes: Uint16Array,
  maxCode: number,
  countOfLength: Int32Array,
): void {
  let code = 0
  for (let bits = 1; bits <= MAX_BITS; bits++) {
    code = (code + countOfLength[bits - 1]) << 1
    nextCode[bits] = code
  }
  for (let n = 0; n <= maxCode; n++) {
    const len = lens[n]
    if (len !== 0) codes[n] = reverseBits(nextCode[len]++, len)
  }
}

/** The fixed Huffman code of RFC 1951 §3.2.6, as (bit-reversed) codes and lengths. */
const STATIC_LTREE_LEN = new Uint8Array(L_CODES + 2)
const STATIC_LTREE_CODE = new Uint16Array(L_CODES + 2)
const STATIC_DTREE_LEN = new Uint8Array(D_CODES).fill(5)
const STATIC_DTREE_CODE = new Uint16Array(D_CODES)
{
  STATIC_LTREE_LEN.fill(8, 0, 144)
  STATIC_LTREE_LEN.fill(9, 144, 256)
  STATIC_LTREE_LEN.fill(7, 256, 280)
  STATIC_LTREE_LEN.fill(8, 280, 288)
  const counts = new Int32Array(MAX_BITS + 1)
  for (const len of STATIC_LTREE_LEN) counts[len]++
  assignCanonicalCodes(STATIC_LTREE_LEN, STATIC_LTREE_CODE, L_CODES + 1, counts)
  for (let n = 0; n < D_CODES; n++) STATIC_DTREE_CODE[n] = reverseBits(n, 5)
}

// ---------------------------------------------------------------------------------------------
// Huffman tree construction (zlib trees.c build_tree / gen_bitlen): reproduced step by step,
// because any difference in tie-breaking gives different, equally valid, code lengths.

/** A dynamic Huffman tree: leaves 0..elems-1, then the internal nodes made by build_tree. */
class Tree {
  /** Symbol counts of the current block (internal nodes keep theirs in the heap entries). */
  readonly freq: Int32Array
  /** Parent of every node while the tree is built. */
  readonly dad: Int32Array
  /** Code length of every leaf (and distance from the root of every internal node). */
  readonly len: Uint8Array
  /** Bit-reversed code of every leaf. */
  readonly code: Uint16Array
  /** Largest symbol with a nonzero frequency (after forcing at least two codes). */
  maxCode = 0

  constructor(
    readonly elems: number,
    readonly maxLength: number,
    readonly extraBits: Uint8Array,
    readonly extraBase: number,
    /** Code lengths of the fixed code, to price the block as a fixed block; null for bl tree. */
    readonly staticLen: Uint8Array | null,
  ) {
    const nodes = 2 * elems + 1
    this.freq = new Int32Array(nodes)
    this.dad = new Int32Array(nodes)
    this.len = new Uint8Array(nodes)
    this.code = new Uint16Array(elems)
  }
}

const ltree = new Tree(L_CODES, MAX_BITS, LENGTH_EXTRA, LITERALS + 1, STATIC_LTREE_LEN)
const dtree = new Tree(D_CODES, MAX_BITS, DIST_EXTRA, 0, STATIC_DTREE_LEN)
const bltree = new Tree(BL_CODES, MAX_BL_BITS, BL_EXTRA, 0, null)

/**
 * zlib's heap (trees.c), one int32 per entry: frequency << 15 | depth << 10 | node number.
 * [1..count] is the priority queue, and [heapMax..HEAP_SIZE) receives the removed nodes (as
 * plain node numbers), root first.
 *
 * zlib orders nodes by frequency, then by subtree depth, and counts an equal pair as "smaller"
 * (trees.c `smaller`). With the node number in the low 10 bits that order is simply
 * `a <= (b | NODE_MASK)`. The fields fit: a block has at most 16,384 symbols plus two dummies, so
 * frequencies are below 2^15; a Huffman tree of total weight below 75,025 (a Fibonacci number)
 * has fewer than 24 levels, below 2^5; node numbers are below HEAP_SIZE < 2^10.
 */
const nodeHeap = new Int32Array(HEAP_SIZE + 1)
const NODE_BITS = 10
const NODE_MASK = (1 << NODE_BITS) - 1
const DEPTH_SHIFT = NODE_BITS
const DEPTH_MASK = 31
const FREQ_SHIFT = NODE_BITS + 5
/** Stands after the last heap entry so that every entry has two children to compare. */
const SENTINEL = 0x7fffffff
/** Number of codes of each length in the tree being built. */
const blCount = new Int32Array(MAX_BITS + 1)
/** Start of the removed nodes, root first, left behind in the heap by the last buildTree. */
let heapMax = 0
/** Bit length of the current block coded with the dynamic trees (zlib's opt_len). */
let optLen = 0
/** Bit length of the current block coded with the fixed trees (zlib's static_len). */
let staticLen = 0

/**
 * Moves the entry at heap position k down to its place (zlib's pqdownheap, with the same
 * choices on equal keys: the right child when it is not greater, and stop when not greater).
 */
function siftDown(heap: Int32Array, k: number, count: number): void {
  const entry = heap[k]
  let j = k << 1
  while (j <= count) {
    // Branch-free choice of the smaller child: these comparisons are unpredictable, and
    // mispredicted branches dominate the cost of building a tree.
    const left = heap[j]
    const right = heap[j + 1]
    const takeRight = (((left | NODE_MASK) - right) >>> 31) ^ 1
    const child = left + ((right - left) & -takeRight)
    if (entry <= (child | NODE_MASK)) break
    j += takeRight
    heap[k] = child
    k = j
    j <<= 1
  }
  heap[k] = entry
}

/**
 * Builds the Huffman tree of `tree` from its frequencies and sets its code lengths (zlib's
 * build_tree and gen_bitlen; the codes themselves are only assigned, by {@link assignCodes}, if
 * the block is sent with these trees). `used[0, usedCount)`, when given, lists the symbols with a
 * nonzero frequency in increasing order, which saves scanning the whole alphabet.
 */
function buildTree(tree: Tree, used?: Int32Array, usedCount = 0): void {
  const { freq, dad, len, elems } = tree
  // The module-level heap is copied to a local: V8 re-reads module bindings on every access.
  const heap = nodeHeap
  let maxCode = -1
  let count = 0
  if (used !== undefined) {
    len.fill(0, 0, elems)
    for (let i = 0; i < usedCount; i++) {
      const n = used[i]
      heap[++count] = (freq[n] << FREQ_SHIFT) | n
      maxCode = n
    }
  } else {
    for (let n = 0; n < elems; n++) {
      const f = freq[n]
      if (f !== 0) {
        heap[++count] = (f << FREQ_SHIFT) | n
        maxCode = n
      } else {
        len[n] = 0
      }
    }
  }
  // A valid code needs at least two symbols (a lone code of length 0 cannot be sent), so zlib
  // adds dummy symbols of frequency 1 and takes their cost back out of the block length.
  while (count < 2) {
    const node = maxCode < 2 ? ++maxCode : 0
    heap[++count] = (1 << FREQ_SHIFT) | node
    freq[node] = 1
    optLen--
    if (tree.staticLen !== null) staticLen -= tree.staticLen[node]
  }
  tree.maxCode = maxCode

  heap[count + 1] = SENTINEL
  for (let k = count >> 1; k >= 1; k--) siftDown(heap, k, count)

  // Repeatedly merge the two least frequent nodes into a new internal node.
  let node = elems
  let top = HEAP_SIZE
  do {
    const a = heap[1]
    heap[1] = heap[count]
    heap[count--] = SENTINEL
    siftDown(heap, 1, count)
    const b = heap[1]
    const n = a & NODE_MASK
    const m = b & NODE_MASK
    heap[--top] = n
    heap[--top] = m
    const depthA = (a >> DEPTH_SHIFT) & DEPTH_MASK
    const depthB = (b >> DEPTH_SHIFT) & DEPTH_MASK
    const depth = (depthA >= depthB ? depthA : depthB) + 1
    dad[n] = dad[m] = node
    heap[1] =
      (((a >> FREQ_SHIFT) + (b >> FREQ_SHIFT)) << FREQ_SHIFT) | (depth << DEPTH_SHIFT) | node
    node++
    siftDown(heap, 1, count)
  } while (count >= 2)
  heap[--top] = heap[1] & NODE_MASK
  heapMax = top

  generateLengths(tree)
}

/** Assigns the canonical codes of a built tree (zlib's gen_codes, after gen_bitlen). */
function assignCodes(tree: Tree): void {
  const { len, maxCode } = tree
  blCount.fill(0)
  for (let n = 0; n <= maxCode; n++) blCount[len[n]]++
  blCount[0] = 0
  assignCanonicalCodes(len, tree.code, maxCode, blCount)
}

/**
 * Computes code lengths from the tree, limits them to tree.maxLength exactly as zlib's
 * gen_bitlen does, and adds the block's cost with these codes to optLen and staticLen.
 */
function generateLengths(tree: Tree): void {
  const { freq, dad, len, maxCode, maxLength, extraBits, extraBase } = tree
  const fixedLen = tree.staticLen
  const heap = nodeHeap
  blCount.fill(0)
  // Nodes at heap[heapMax..] come root first, parents always before their children.
  len[heap[heapMax]] = 0
  let overflow = 0
  let h = heapMax + 1
  for (; h < HEAP_SIZE; h++) {
    const n = heap[h]
    let bits = len[dad[n]] + 1
    if (bits > maxLength) {
      bits = maxLength
      overflow++
    }
    len[n] = bits
    if (n > maxCode) continue // an internal node
    blCount[bits]++
    const xbits = n >= extraBase ? extraBits[n - extraBase] : 0
    const f = freq[n]
    optLen += f * (bits + xbits)
    if (fixedLen !== null) staticLen += f * (fixedLen[n] + xbits)
  }
  if (overflow === 0) return

  // Some leaves were too deep. Move pairs of over-long leaves up by turning a shorter leaf
  // into an internal node, until the counts describe a complete code again.
  do {
    let bits = maxLength - 1
    while (blCount[bits] === 0) bits--
    blCount[bits]--
    blCount[bits + 1] += 2
    blCount[maxLength]--
    overflow -= 2
  } while (overflow > 0)

  // Hand the corrected lengths out again, longest first to the least frequent leaves.
  h = HEAP_SIZE
  for (let bits = maxLength; bits !== 0; bits--) {
    let n = blCount[bits]
    while (n !== 0) {
      const m = heap[--h]
      if (m > maxCode) continue
      if (len[m] !== bits) {
        optLen += (bits - len[m]) * freq[m]
        len[m] = bits
      }
      n--
    }
  }
}

/**
 * Counts, into the bit-length tree, the run-length coded lengths of `tree` (zlib's scan_tree).
 * Runs of equal lengths become code 16 (after one explicit length), runs of zeros codes 17/18.
 */
function scanTree(tree: Tree): void {
  const { len, maxCode } = tree
  const blFreq = bltree.freq
  let prevLen = -1
  let nextLen = len[0]
  let count = 0
  let maxCount = nextLen === 0 ? 138 : 7
  let minCount = nextLen === 0 ? 3 : 4
  for (let n = 0; n <= maxCode; n++) {
    const curLen = nextLen
    nextLen = n < maxCode ? len[n + 1] : -1
    if (++count < maxCount && curLen === nextLen) continue
    if (count < minCount) {
      blFreq[curLen] += count
    } else if (curLen !== 0) {
      if (curLen !== prevLen) blFreq[curLen]++
      blFreq[REP_3_6]++
    } else if (count <= 10) {
      blFreq[REPZ_3_10]++
    } else {
      blFreq[REPZ_11_138]++
    }
    count = 0
    prevLen = curLen
    if (nextLen === 0) {
      maxCount = 138
      minCount = 3
    } else if (curLen === nextLen) {
      maxCount = 6
      minCount = 3
    } else {
      maxCount = 7
      minCount = 4
    }
  }
}

/** Sends the lengths of `tree` with the bit-length code, the same runs scanTree counted. */
function sendTree(tree: Tree): void {
  const { len, maxCode } = tree
  const blCode = bltree.code
  const blLen = bltree.len
  let prevLen = -1
  let nextLen = len[0]
  let count = 0
  let maxCount = nextLen === 0 ? 138 : 7
  let minCount = nextLen === 0 ? 3 : 4
  for (let n = 0; n <= maxCode; n++) {
    const curLen = nextLen
    nextLen = n < maxCode ? len[n + 1] : -1
    if (++count < maxCount && curLen === nextLen) continue
    if (count < minCount) {
      do putBits(blCode[curLen], blLen[curLen])
      while (--count !== 0)
    } else if (curLen !== 0) {
      if (curLen !== prevLen) {
        putBits(blCode[curLen], blLen[curLen])
        count--
      }
      putBits(blCode[REP_3_6], blLen[REP_3_6])
      putBits(count - 3, 2)
    } else if (count <= 10) {
      putBits(blCode[REPZ_3_10], blLen[REPZ_3_10])
      putBits(count - 3, 3)
    } else {
      putBits(blCode[REPZ_11_138], blLen[REPZ_11_138])
      putBits(count - 11, 7)
    }
    count = 0
    prevLen = curLen
    if (nextLen === 0) {
      maxCount = 138
      minCount = 3
    } else if (curLen === nextLen) {
      maxCount = 6
      minCount = 3
    } else {
      maxCount = 7
      minCount = 4
    }
  }
}

/**
 * Builds the bit-length tree and returns the index in CODE_LENGTH_ORDER of the last length to send
 * (at least 3: RFC 1951 requires 4 or more). Adds the tree header's cost to optLen.
 */
function buildBitLengthTree(): number {
  scanTree(ltree)
  scanTree(dtree)
  buildTree(bltree)
  let maxIndex = BL_CODES - 1
  for (; maxIndex >= 3; maxIndex--) if (bltree.len[CODE_LENGTH_ORDER[maxIndex]] !== 0) break
  // 3 bits per sent bit-length length, plus HLIT (5), HDIST (5) and HCLEN (4).
  optLen += 3 * (maxIndex + 1) + 5 + 5 + 4
  return maxIndex
}

// ---------------------------------------------------------------------------------------------
// Output: an LSB-first bit writer (RFC 1951 §3.1.1) over a reusable buffer.

let out = new Uint8Array(0)
let outPos = 0
let bitBuf = 0
let bitCount = 0

// The bit buffer never holds more than 31 bits, so it stays a non-negative int32; shifting it
// with `>>` (not `>>>`, whose result V8 types as uint32) keeps it in an int32 register.

/** Appends the low `length` (≤ 16) bits of `value`. */
function putBits(value: number, length: number): void {
  bitBuf |= value << bitCount
  bitCount += length
  if (bitCount >= 16) {
    out[outPos++] = bitBuf & 0xff
    out[outPos++] = (bitBuf >>> 8) & 0xff
    bitBuf >>= 16
    bitCount -= 16
  }
}

/** Pads with zero bits to a byte boundary (zlib's bi_windup). */
function alignToByte(): void {
  if (bitCount > 8) {
    out[outPos++] = bitBuf & 0xff
    out[outPos++] = (bitBuf >>> 8) & 0xff
  } else if (bitCount > 0) {
    out[outPos++] = bitBuf & 0xff
  }
  bitBuf = 0
  bitCount = 0
}

// ---------------------------------------------------------------------------------------------
// Symbol buffer of the current block: zlib's sym_buf as two parallel arrays.

/** Match distance, or 0 for a literal. */
const symDist = new Uint16Array(SYMBOLS_PER_BLOCK)
/** The literal byte, or the match length minus 3. */
const symLc = new Uint8Array(SYMBOLS_PER_BLOCK)
let symCount = 0

/** Starts a new block: only the end-of-block symbol is known to occur (zlib's init_block). */
function resetBlock(): void {
  ltree.freq.fill(0, 0, L_CODES)
  dtree.freq.fill(0, 0, D_CODES)
  bltree.freq.fill(0, 0, BL_CODES)
  ltree.freq[END_BLOCK] = 1
  literalUsedBits.fill(0)
  literalUsedBits[END_BLOCK >>> 5] = 1 << (END_BLOCK & 31)
  optLen = 0
  staticLen = 0
  symCount = 0
}

const STORED = 0
const FIXED = 1
const DYNAMIC = 2
/** Result of {@link chooseWithoutTrees} when the bound is not decisive. */
const UNDECIDED = -1

/**
 * Emits the buffered symbols as one block, choosing stored, fixed or dynamic coding exactly as
 * zlib's _tr_flush_block does. `data[start, start + length)` are the bytes the block covers.
 */
function flushBlock(data: Uint8Array, start: number, length: number, last: boolean): void {
  let type = chooseWithoutTrees(length)
  let maxBlIndex = 0
  if (type === UNDECIDED) {
    buildTree(ltree, usedLiterals, usedLiteralCount)
    buildTree(dtree)
    maxBlIndex = buildBitLengthTree()
    type = chooseBlockType(length, optLen, staticLen)
  }
  const lastBit = last ? 1 : 0
  if (type === STORED) {
    // Stored (RFC 1951 §3.2.4): 4 bytes of LEN and NLEN, then the raw bytes.
    putBits(lastBit, 3)
    alignToByte()
    out[outPos++] = length & 0xff
    out[outPos++] = length >>> 8
    out[outPos++] = ~length & 0xff
    out[outPos++] = (~length >>> 8) & 0xff
    out.set(data.subarray(start, start + length), outPos)
    outPos += length
  } else if (type === FIXED) {
    putBits((FIXED << 1) | lastBit, 3)
    compressBlock(STATIC_LTREE_CODE, STATIC_LTREE_LEN, STATIC_DTREE_CODE, STATIC_DTREE_LEN)
  } else {
    putBits((DYNAMIC << 1) | lastBit, 3)
    assignCodes(ltree)
    assignCodes(dtree)
    assignCodes(bltree)
    sendAllTrees(maxBlIndex)
    compressBlock(ltree.code, ltree.len, dtree.code, dtree.len)
  }
  resetBlock()
  if (last) alignToByte()
}

/**
 * zlib's choice between the three block types, from the block's size in bits with the dynamic
 * trees (`dynamicBits`, zlib's opt_len) and with the fixed code (`fixedBits`, static_len).
 * Sizes are compared in whole bytes including the 3-bit block header, fixed winning ties.
 */
function chooseBlockType(storedLength: number, dynamicBits: number, fixedBits: number): number {
  const fixedBytes = (fixedBits + 3 + 7) >>> 3
  const dynamicBytes = (dynamicBits + 3 + 7) >>> 3
  const bestBytes = fixedBytes <= dynamicBytes ? fixedBytes : dynamicBytes
  // A stored block costs LEN and NLEN (4 bytes) beyond the data, and the header is not counted.
  if (storedLength + 4 <= bestBytes) return STORED
  return fixedBytes === bestBytes ? FIXED : DYNAMIC
}

// ---------------------------------------------------------------------------------------------
// Choosing the block type without building trees.
//
// Building the three Huffman trees exactly as zlib does costs more than everything else for a
// token-sized block, yet for most such blocks zlib then emits a fixed or a stored block, and the
// dynamic trees are never sent. They only matter through opt_len, the dynamic block's size. So a
// lower bound of opt_len is computed from the symbol counts alone; when even that bound cannot
// beat the fixed (or the stored) block, zlib's choice is known and the trees are not built.
//
// Each part of the bound is at most the corresponding part of zlib's opt_len:
//   - the coded symbols: the Shannon entropy of their counts, which no prefix code beats (the
//     Huffman code of zlib included), plus their extra bits, which do not depend on the code;
//   - HLIT, HDIST and HCLEN: 14 bits; the code lengths of the bit-length code: 3 bits each, for
//     at least minLastBlIndex + 1 of them;
//   - the run-length coded code lengths (scan_tree): which lengths are zero depends only on which
//     symbols occur, so the zero runs and their codes (0, 17, 18, with 3 or 7 extra bits) are
//     known exactly; a block of consecutive nonzero lengths needs at least a known number of
//     codes; the bit-length code then spends at least the Huffman cost of these code counts with
//     every nonzero-length code counted as the same symbol (merging symbols never raises the
//     optimal cost, and lowering counts never raises it either).
// zlib's forced dummy codes and its length limiting only add to opt_len.

/** f * log2(f) for small counts, used for entropies. */
const F_LOG2_F = new Float64Array(1024)
for (let f = 1; f < F_LOG2_F.length; f++) F_LOG2_F[f] = f * Math.log2(f)

function fLog2F(f: number): number {
  return f < F_LOG2_F.length ? F_LOG2_F[f] : f * Math.log2(f)
}

/**
 * zlib sends bit-length code lengths up to the last nonzero one in CODE_LENGTH_ORDER. A complete code of
 * n codes has a code of length at most k = floor(log2 n) (otherwise its Kraft sum is below 1),
 * and every length that occurs is sent at least once as a literal length, so the bit-length
 * symbol of some value v ≤ k is used. MIN_LAST_BL_INDEX[k] is the lowest CODE_LENGTH_ORDER index among
 * those values, hence a lower bound of zlib's max_blindex.
 */
const MIN_LAST_BL_INDEX = new Uint8Array(MAX_BITS + 1)
for (let k = 0; k <= MAX_BITS; k++) {
  let min = BL_CODES - 1
  for (let rank = 0; rank < BL_CODES; rank++) {
    const v = CODE_LENGTH_ORDER[rank]
    if (v >= 1 && v <= k && rank < min) min = rank
  }
  MIN_LAST_BL_INDEX[k] = Math.max(min, 3)
}

// Counts of run-length codes for the lengths sent in a dynamic header, filled by countRuns.
let zeroCodes = 0
let zeroRunCodes = 0
let zeroRunExtraBits = 0
let nonzeroCodes = 0

/** Accounts a run of zero code lengths as scan_tree codes it, in chunks of at most 138. */
function countZeroRun(run: number): void {
  while (run > 0) {
    const chunk = run < 138 ? run : 138
    run -= chunk
    if (chunk < 3) {
      zeroCodes += chunk
    } else {
      zeroRunCodes++
      zeroRunExtraBits += chunk <= 10 ? 3 : 7
    }
  }
}

/**
 * Accounts a block of consecutive nonzero lengths: the first is sent as a literal length (it
 * follows a zero, or starts the sequence), each further code covers at most 6 lengths, and
 * repeats need at least 3.
 */
function countNonzeroRun(run: number): void {
  // 1 + ceil((run - 1) / 6), in integer arithmetic.
  nonzeroCodes += run <= 3 ? run : 1 + (((run + 4) / 6) | 0)
}

/**
 * Accounts the code-length sequence of symbols 0..end-1 of a small alphabet, where
 * `used[n] !== 0` has a code: the nonzero blocks and the zero runs between them.
 */
function countRuns(used: Uint8Array, end: number): void {
  let last = -1
  let block = 0
  for (let n = 0; n < end; n++) {
    if (used[n] === 0) continue
    const gap = n - last - 1
    if (gap > 0) {
      if (block > 0) countNonzeroRun(block)
      countZeroRun(gap)
      block = 1
    } else {
      block++
    }
    last = n
  }
  if (block > 0) countNonzeroRun(block)
}

/** Optimal Huffman cost (sum of internal node weights) of up to four weights; 0s are ignored. */
function smallHuffmanCost(a: number, b: number, c: number, d: number): number {
  const w = smallWeights
  let n = 0
  if (a > 0) w[n++] = a
  if (b > 0) w[n++] = b
  if (c > 0) w[n++] = c
  if (d > 0) w[n++] = d
  // A code needs two symbols (zlib adds a dummy one), so a lone symbol still costs 1 bit each.
  if (n === 1) return w[0]
  let cost = 0
  while (n > 1) {
    // Merge the two smallest weights.
    let i = 0
    for (let k = 1; k < n; k++) if (w[k] < w[i]) i = k
    const x = w[i]
    w[i] = w[--n]
    let j = 0
    for (let k = 1; k < n; k++) if (w[k] < w[j]) j = k
    const sum = x + w[j]
    w[j] = sum
    cost += sum
  }
  return cost
}
const smallWeights = new Float64Array(4)

/**
 * Bit n of the set marks literal/length symbol n as counted in the current block (set as the
 * symbols are counted): chooseWithoutTrees then visits only the used symbols, in increasing
 * order, instead of scanning all 286 of the alphabet, most of which a token never uses.
 */
const literalUsedBits = new Int32Array((L_CODES + 31) >>> 5)

/** The used literal/length symbols, in increasing order, as found by chooseWithoutTrees. */
const usedLiterals = new Int32Array(L_CODES)
let usedLiteralCount = 0

/** Which distance codes zlib's tree includes: the used ones plus its forced dummies. */
const distanceUsed = new Uint8Array(D_CODES + 2)

/**
 * Returns the block type zlib will choose if that follows from a lower bound of opt_len and the
 * exact static_len and stored length alone, else UNDECIDED.
 */
function chooseWithoutTrees(storedLength: number): number {
  const lFreq = ltree.freq
  const dFreq = dtree.freq

  zeroCodes = 0
  zeroRunCodes = 0
  zeroRunExtraBits = 0
  nonzeroCodes = 0

  // Literal/length alphabet, in one pass: counts, fixed-code size, extra bits, entropy, and the
  // runs of zero and nonzero code lengths (the gaps between used symbols are the zero runs).
  let total = 0
  let sumFLogF = 0
  let fixedBits = 0
  let extraBits = 0
  let lCodes = 0
  let last = -1
  let block = 0
  const usedBits = literalUsedBits
  for (let word = 0; word < usedBits.length; word++) {
    // Visit the set bits of the word, lowest first.
    for (let bits = usedBits[word]; bits !== 0; bits &= bits - 1) {
      const n = (word << 5) | (31 - Math.clz32(bits & -bits))
      const f = lFreq[n]
      usedLiterals[lCodes++] = n
      total += f
      sumFLogF += fLog2F(f)
      let xbits = 0
      if (n > END_BLOCK) xbits = LENGTH_EXTRA[n - LITERALS - 1]
      fixedBits += f * (STATIC_LTREE_LEN[n] + xbits)
      extraBits += f * xbits
      const gap = n - last - 1
      if (gap > 0) {
        if (block > 0) countNonzeroRun(block)
        countZeroRun(gap)
        block = 1
      } else {
        block++
      }
      last = n
    }
  }
  countNonzeroRun(block)
  usedLiteralCount = lCodes
  // Only the end-of-block code: zlib adds a dummy literal; leave this rare case to the trees.
  if (lCodes < 2) return UNDECIDED
  let entropy = total * Math.log2(total) - sumFLogF

  // Distance alphabet, including zlib's dummy codes when fewer than two are used.
  let dTotal = 0
  let dSumFLogF = 0
  let dCodes = 0
  let dMax = -1
  for (let n = 0; n < D_CODES; n++) {
    const f = dFreq[n]
    distanceUsed[n] = f === 0 ? 0 : 1
    if (f === 0) continue
    dTotal += f
    dSumFLogF += fLog2F(f)
    dCodes++
    dMax = n
    const xbits = DIST_EXTRA[n]
    fixedBits += f * (STATIC_DTREE_LEN[n] + xbits)
    extraBits += f * xbits
  }
  if (dTotal > 0) entropy += dTotal * Math.log2(dTotal) - dSumFLogF
  while (dCodes < 2) {
    const node = dMax < 2 ? ++dMax : 0
    distanceUsed[node] = 1
    dCodes++
  }
  const fixedBytes = (fixedBits + 3 + 7) >>> 3
  countRuns(distanceUsed, dMax + 1)
  const lastBlIndex = Math.max(
    MIN_LAST_BL_INDEX[Math.min(31 - Math.clz32(lCodes), MAX_BITS)],
    MIN_LAST_BL_INDEX[Math.min(31 - Math.clz32(dCodes), MAX_BITS)],
  )
  const lowerBound =
    // The entropy is computed in floating point: allow for rounding before rounding up.
    Math.ceil(entropy - 1e-3) +
    extraBits +
    14 +
    3 * (lastBlIndex + 1) +
    smallHuffmanCost(zeroCodes, zeroRunCodes, nonzeroCodes, 0) +
    zeroRunExtraBits
  const dynamicBytesAtLeast = (lowerBound + 3 + 7) >>> 3

  // Dynamic cannot beat fixed: zlib compares stored against the fixed size only.
  if (dynamicBytesAtLeast >= fixedBytes) return storedLength + 4 <= fixedBytes ? STORED : FIXED
  // Stored beats fixed and even the smallest possible dynamic block.
  if (storedLength + 4 <= dynamicBytesAtLeast && storedLength + 4 <= fixedBytes) return STORED
  return UNDECIDED
}

/** Sends a dynamic block's header: HLIT, HDIST, HCLEN and the code lengths (RFC 1951 §3.2.7). */
function sendAllTrees(maxBlIndex: number): void {
  putBits(ltree.maxCode + 1 - 257, 5)
  putBits(dtree.maxCode + 1 - 1, 5)
  putBits(maxBlIndex + 1 - 4, 4)
  for (let rank = 0; rank <= maxBlIndex; rank++) putBits(bltree.len[CODE_LENGTH_ORDER[rank]], 3)
  sendTree(ltree)
  sendTree(dtree)
}

/** Sends the buffered symbols and the end-of-block code with the given codes. */
function compressBlock(
  lcode: Uint16Array,
  llen: Uint8Array,
  dcode: Uint16Array,
  dlen: Uint8Array,
): void {
  // The bit writer is kept in locals here: this loop runs once per symbol.
  const o = out
  let pos = outPos
  let buf = bitBuf
  let cnt = bitCount
  const count = symCount
  for (let i = 0; i < count; i++) {
    const dist = symDist[i]
    const lc = symLc[i]
    // Every piece (code ≤ 15 bits, extra bits ≤ 13) is added to fewer than 16 pending bits and
    // whole 16-bit words are written out after each, so the buffer never exceeds 31 bits.
    if (dist === 0) {
      buf |= lcode[lc] << cnt
      cnt += llen[lc]
    } else {
      const code = LENGTH_CODE[lc]
      const sym = code + LITERALS + 1
      buf |= lcode[sym] << cnt
      cnt += llen[sym]
      if (cnt >= 16) {
        o[pos++] = buf & 0xff
        o[pos++] = (buf >>> 8) & 0xff
        buf >>= 16
        cnt -= 16
      }
      const lextra = LENGTH_EXTRA[code]
      if (lextra !== 0) {
        buf |= (lc + MIN_MATCH - LENGTH_BASE[code]) << cnt
        cnt += lextra
        if (cnt >= 16) {
          o[pos++] = buf & 0xff
          o[pos++] = (buf >>> 8) & 0xff
          buf >>= 16
          cnt -= 16
        }
      }
      const d = dist - 1
      const dc = distanceCode(d)
      buf |= dcode[dc] << cnt
      cnt += dlen[dc]
      const dextra = DIST_EXTRA[dc]
      if (dextra !== 0) {
        if (cnt >= 16) {
          o[pos++] = buf & 0xff
          o[pos++] = (buf >>> 8) & 0xff
          buf >>= 16
          cnt -= 16
        }
        buf |= (dist - DIST_BASE[dc]) << cnt
        cnt += dextra
      }
    }
    if (cnt >= 16) {
      o[pos++] = buf & 0xff
      o[pos++] = (buf >>> 8) & 0xff
      buf >>= 16
      cnt -= 16
    }
  }
  outPos = pos
  bitBuf = buf
  bitCount = cnt
  putBits(lcode[END_BLOCK], llen[END_BLOCK])
}

// ---------------------------------------------------------------------------------------------
// Hash chains.

/**
 * head[h] holds generation + position of the most recent string with hash h, so entries of
 * earlier calls (below `generation`) read as empty without clearing 32K entries per call.
 */
const head = new Int32Array(1 << HASH_BITS)
let generation = 1
/** prev[p]: the previous position with the same hash as position p, or 0 (zlib's NIL). */
let prev = new Uint16Array(0)

/**
 * Computes prev[] for every position that zlib inserts into its hash table (every position with
 * at least MIN_MATCH bytes left). zlib inserts those positions in increasing order and searches
 * position p right after inserting it, so the chain it walks from p is exactly prev[p], prev[...].
 * The legacy rolling hash after three updates is ((a << 10) ^ (b << 5) ^ c) & HASH_MASK for the
 * three bytes a b c at p; zlib's prev[] is indexed modulo 32K, but it never follows an entry far
 * enough back for that to make a difference (it stops at MAX_DIST).
 */
function buildHashChains(data: Uint8Array, n: number): void {
  if (generation > 0x7fffffff - n) {
    head.fill(0)
    generation = 1
  }
  const gen = generation
  const chains = prev
  const last = n - MIN_MATCH
  for (let p = 0; p <= last; p++) {
    const h =
      ((data[p] << (2 * HASH_SHIFT)) ^ (data[p + 1] << HASH_SHIFT) ^ data[p + 2]) & HASH_MASK
    const q = head[h] - gen
    chains[p] = q > 0 ? q : 0
    head[h] = gen + p
  }
  generation += n
}

/** {@link longestMatch} returns the match start above these bits and the length below. */
const MATCH_START_SHIFT = 9
const MATCH_LENGTH_MASK = (1 << MATCH_START_SHIFT) - 1

/**
 * zlib's longest_match: walks the hash chain from `candidate` and returns the best match length
 * at `pos` (but not more than `lookahead`). When that beats `prevLength`, the match start (at
 * least 1: position 0 is NIL) is returned too, as `start << MATCH_START_SHIFT | length`; the
 * pair is packed into one int rather than kept in a module variable, which V8 would re-read and
 * check on every access.
 *
 * zlib compares up to 258 bytes even past the end of the input (into zeroed window memory) and
 * clips the result to the lookahead afterwards. Comparing only up to the lookahead gives the same
 * result: a match reaching the end of input already reaches `nice`, which ends the search.
 */
function longestMatch(
  data: Uint8Array,
  chains: Uint16Array,
  pos: number,
  lookahead: number,
  candidate: number,
  prevLength: number,
): number {
  let chainLength = prevLength >= GOOD_LENGTH ? MAX_CHAIN >> 2 : MAX_CHAIN
  const nice = NICE_LENGTH < lookahead ? NICE_LENGTH : lookahead
  const maxLen = MAX_MATCH < lookahead ? MAX_MATCH : lookahead
  let bestLen = prevLength
  // The previous match already reaches the end of input: nothing can beat it (deflate_slow
  // then emits that previous match, so which candidate zlib would name does not matter).
  if (bestLen >= maxLen) return maxLen
  const limit = pos > MAX_DIST ? pos - MAX_DIST : 0
  const first = data[pos]
  let scanEnd = data[pos + bestLen]
  let cur = candidate
  let start = 0
  do {
    // Cheap rejections first: a longer match must agree at bestLen and at 0.
    if (data[cur + bestLen] === scanEnd && data[cur] === first) {
      let len = 1
      while (len < maxLen && data[cur + len] === data[pos + len]) len++
      if (len > bestLen) {
        start = cur
        bestLen = len
        if (len >= nice) break
        scanEnd = data[pos + len]
      }
    }
    cur = chains[cur]
  } while (cur > limit && --chainLength !== 0)
  return (start << MATCH_START_SHIFT) | bestLen
}

// ---------------------------------------------------------------------------------------------
// The compressor: zlib's deflate_slow.

/** Compresses `data` into blocks; zlib's deflate_slow with flush = Z_FINISH. */
function deflateBlocks(data: Uint8Array, n: number): void {
  buildHashChains(data, n)
  const lFreq = ltree.freq
  const dFreq = dtree.freq
  const usedBits = literalUsedBits
  // Module-level state is copied to locals for this loop (V8 re-reads and checks module
  // bindings on every access) and symCount written back before each flush.
  const chains = prev
  let count = symCount
  let strstart = 0
  let lookahead = n
  let blockStart = 0
  let matchLength = MIN_MATCH - 1
  let matchStart = 0
  let matchAvailable = false
  while (lookahead > 0) {
    const hashHead = lookahead >= MIN_MATCH ? chains[strstart] : 0
    const prevLength = matchLength
    const prevMatch = matchStart
    matchLength = MIN_MATCH - 1
    if (hashHead !== 0 && prevLength < MAX_LAZY && strstart - hashHead <= MAX_DIST) {
      const found = longestMatch(data, chains, strstart, lookahead, hashHead, prevLength)
      matchLength = found & MATCH_LENGTH_MASK
      if (found > MATCH_LENGTH_MASK) matchStart = found >>> MATCH_START_SHIFT
      if (matchLength === MIN_MATCH && strstart - matchStart > TOO_FAR) matchLength = MIN_MATCH - 1
    }
    if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
      // The match found at the previous position is at least as good: emit it. It started one
      // byte back; its remaining positions were already put in the hash chains.
      const dist = strstart - 1 - prevMatch
      const lc = prevLength - MIN_MATCH
      symDist[count] = dist
      symLc[count++] = lc
      const lsym = LENGTH_CODE[lc] + LITERALS + 1
      lFreq[lsym]++
      usedBits[lsym >>> 5] |= 1 << (lsym & 31)
      dFreq[distanceCode(dist - 1)]++
      lookahead -= prevLength - 1
      strstart += prevLength - 1
      matchAvailable = false
      matchLength = MIN_MATCH - 1
      if (count === SYMBOLS_PER_BLOCK) {
        symCount = count
        flushBlock(data, blockStart, strstart - blockStart, false)
        count = 0
        blockStart = strstart
      }
    } else if (matchAvailable) {
      // No better match here: the previous position becomes a literal; this one waits.
      const lit = data[strstart - 1]
      symDist[count] = 0
      symLc[count++] = lit
      lFreq[lit]++
      usedBits[lit >>> 5] |= 1 << (lit & 31)
      if (count === SYMBOLS_PER_BLOCK) {
        symCount = count
        flushBlock(data, blockStart, strstart - blockStart, false)
        count = 0
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
  if (matchAvailable) {
    // zlib emits the last pending literal without checking for a full buffer.
    const lit = data[strstart - 1]
    symDist[count] = 0
    symLc[count++] = lit
    lFreq[lit]++
    usedBits[lit >>> 5] |= 1 << (lit & 31)
  }
  symCount = count
  flushBlock(data, blockStart, strstart - blockStart, true)
}

/**
 * Adler-32 of `data` (RFC 1950 §8.2): two sums modulo 65521, reduced every 5552 bytes, the most
 * that keeps them below 2^32 (zlib's NMAX). Returned as an unsigned 32-bit number.
 */
export function adler32(data: Uint8Array, start = 0, end = data.length): number {
  let a = 1
  let b = 0
  let i = start
  while (i < end) {
    const chunkEnd = Math.min(i + 5552, end)
    for (; i < chunkEnd; i++) {
      a += data[i]
      b += a
    }
    a %= 65521
    b %= 65521
  }
  return (b * 65536 + a) >>> 0
}

/**
 * zlib-wraps `data` (RFC 1950) with a deflate stream byte-identical to C zlib 1.2.13's
 * `compress()` at the defaults (level 6, windowBits 15, memLevel 8) and to
 * `pako.deflate(data, { level: 6, windowBits: 15, memLevel: 8, legacyHash: true })`.
 *
 * Synchronous and not reentrant-safe across workers sharing memory (it reuses module-level
 * buffers), which is fine for JavaScript's run-to-completion model.
 *
 * @param data the bytes to compress
 * @returns the zlib stream (a new array, possibly a view of a shared buffer: see
 *   {@link copyOut}), or `undefined` when `data` is longer than
 *   {@link DEFLATE_SMALL_MAX} and the caller must use a general-purpose deflate
 */
export function deflateSmall(data: Uint8Array): Uint8Array | undefined {
  const stream = deflateSmallView(data)
  return stream === undefined ? undefined : copyOut(stream, stream.length)
}

/**
 * {@link deflateSmall} without the copy: the stream is a view of the compressor's output buffer,
 * which the next call overwrites. For a caller that reads it at once (a token is base64-encoded
 * straight away) and keeps nothing.
 */
export function deflateSmallView(data: Uint8Array): Uint8Array | undefined {
  const n = data.length
  if (n > DEFLATE_SMALL_MAX) return undefined
  ensureCapacity(n)
  // CMF 0x78: deflate with a 32K window; FLG 0x9c: level-6 flags, no dictionary, check bits.
  out[0] = 0x78
  out[1] = 0x9c
  outPos = 2
  bitBuf = 0
  bitCount = 0
  resetBlock()
  deflateBlocks(data, n)
  const check = adler32(data)
  out[outPos++] = check >>> 24
  out[outPos++] = (check >>> 16) & 0xff
  out[outPos++] = (check >>> 8) & 0xff
  out[outPos++] = check & 0xff
  return out.subarray(0, outPos)
}

// Results are views of shared chunks, like Node's pooled Buffers: a typed array of more than 64
// bytes gets its own off-heap backing store from V8, and that allocation alone costs about as
// much as compressing a token. Each byte of a chunk is written once and never reused; a chunk
// lives as long as any of its views.
const POOL_CHUNK_BYTES = 8192
/** Larger results get their own array: the allocation is small next to the work done. */
const POOL_MAX_BYTES = 1024
let pool = new Uint8Array(0)
let poolUsed = 0

/**
 * Copies `bytes[0, length)` into a new array that nothing will write again. Arrays of up to
 * 1 KiB are views of a shared 8 KiB ArrayBuffer (their `byteOffset` may be nonzero).
 */
export function copyOut(bytes: Uint8Array, length: number): Uint8Array {
  if (length > POOL_MAX_BYTES) return bytes.slice(0, length)
  if (poolUsed + length > pool.length) {
    pool = new Uint8Array(POOL_CHUNK_BYTES)
    poolUsed = 0
  }
  const result = new Uint8Array(pool.buffer, poolUsed, length)
  if (length > 32) result.set(bytes.subarray(0, length))
  else for (let i = 0; i < length; i++) result[i] = bytes[i]
  poolUsed += length
  return result
}

/**
 * Grows the reusable buffers for an input of n bytes. Each block is at most its stored size plus
 * 6 bytes (3 header bits and padding, LEN and NLEN; a coded block is only chosen when smaller),
 * there are at most n / 16383 + 2 blocks, plus 2 header and 4 trailer bytes.
 */
function ensureCapacity(n: number): void {
  if (prev.length < n) prev = new Uint16Array(Math.max(n, 1024))
  const outNeeded = n + 6 * (Math.floor(n / SYMBOLS_PER_BLOCK) + 2) + 6
  if (out.length < outNeeded) out = new Uint8Array(Math.max(outNeeded, 2048))
}
