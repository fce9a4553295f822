// Huffman trees of a dynamic block, built exactly as zlib's trees.c builds them (build_tree,
// gen_bitlen, gen_codes, scan_tree, send_tree): any difference in tie-breaking gives different,
// equally valid, code lengths, and so a different stream. Also the fixed code of RFC 1951
// §3.2.6, and the cost of the current block with either code (zlib's opt_len and static_len).
import type { BitWriter } from './bit-writer.js'
import {
  BL_CODES,
  CODE_LENGTH_ORDER,
  DIST_EXTRA,
  D_CODES,
  END_BLOCK,
  LENGTH_EXTRA,
  LITERALS,
  L_CODES,
  MAX_BITS,
  reverseBits,
} from './tables.js'

/** The bit-length code's codes are at most 7 bits long (RFC 1951 §3.2.7). */
const MAX_BL_BITS = 7
/** Bit-length alphabet: repeat previous length 3-6 times, repeat zero 3-10 and 11-138 times. */
const REP_3_6 = 16
const REPZ_3_10 = 17
const REPZ_11_138 = 18

/** Node storage for the largest tree (zlib's HEAP_SIZE): leaves plus internal nodes. */
const HEAP_SIZE = 2 * L_CODES + 1

/** Extra bits of the bit-length codes 16, 17 and 18 (RFC 1951 §3.2.7). */
const BL_EXTRA = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7)

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
export const STATIC_LTREE_LEN = new Uint8Array(L_CODES + 2)
/** See {@link STATIC_LTREE_LEN}. */
export const STATIC_LTREE_CODE = new Uint16Array(L_CODES + 2)
/** See {@link STATIC_LTREE_LEN}. */
export const STATIC_DTREE_LEN = new Uint8Array(D_CODES).fill(5)
/** See {@link STATIC_LTREE_LEN}. */
export const STATIC_DTREE_CODE = new Uint16Array(D_CODES)
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

/** A dynamic Huffman tree: leaves 0..elems-1, then the internal nodes made by build_tree. */
export class Tree {
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
  /** Number of codes of each length (0 for length 0), as the tree was last built. */
  readonly lengthCounts = new Int32Array(MAX_BITS + 1)
  /** Extra bits that follow each symbol's code (extraBits from extraBase on, else none). */
  readonly symbolExtraBits: Uint8Array

  constructor(
    readonly elems: number,
    readonly maxLength: number,
    extraBits: Uint8Array,
    extraBase: number,
  ) {
    const nodes = 2 * elems + 1
    this.freq = new Int32Array(nodes)
    this.dad = new Int32Array(nodes)
    this.len = new Uint8Array(nodes)
    this.code = new Uint16Array(elems)
    this.symbolExtraBits = new Uint8Array(elems)
    this.symbolExtraBits.set(extraBits, extraBase)
  }
}

/** The current block's literal/length tree; the compressor counts symbols into its `freq`. */
export const ltree = new Tree(L_CODES, MAX_BITS, LENGTH_EXTRA, LITERALS + 1)
/** The current block's distance tree; the compressor counts distance codes into its `freq`. */
export const dtree = new Tree(D_CODES, MAX_BITS, DIST_EXTRA, 0)
const bltree = new Tree(BL_CODES, MAX_BL_BITS, BL_EXTRA, 0)

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
/** Start of the removed nodes, root first, left behind in the heap by the last buildTree. */
let heapMax = 0
/** Bit length of the current block coded with the dynamic trees (zlib's opt_len). */
let optLen = 0

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

  generateLengths(tree, used, usedCount)
}

/** Assigns the canonical codes of a built tree (zlib's gen_codes, after gen_bitlen). */
function assignCodes(tree: Tree): void {
  assignCanonicalCodes(tree.len, tree.code, tree.maxCode, tree.lengthCounts)
}

/** {@link assignCodes} for the literal/length tree, visiting only its used symbols. */
function assignUsedCodes(tree: Tree, used: Int32Array, usedCount: number): void {
  const { len, code, lengthCounts } = tree
  let next = 0
  for (let bits = 1; bits <= MAX_BITS; bits++) {
    next = (next + lengthCounts[bits - 1]) << 1
    nextCode[bits] = next
  }
  for (let i = 0; i < usedCount; i++) {
    const n = used[i]
    const length = len[n]
    code[n] = reverseBits(nextCode[length]++, length)
  }
}

/**
 * Computes code lengths from the tree, limits them to tree.maxLength exactly as zlib's
 * gen_bitlen does, and adds the block's cost with these codes to optLen. (zlib's static_len,
 * which gen_bitlen also sums, is block-choice.ts's fixed size: the dummy codes zlib adds count
 * there and are taken out again, and have no extra bits.)
 */
function generateLengths(tree: Tree, used: Int32Array | undefined, usedCount: number): void {
  const { freq, dad, len, maxCode, maxLength, symbolExtraBits } = tree
  const heap = nodeHeap
  // Nodes at heap[heapMax..] come root first, parents always before their children.
  len[heap[heapMax]] = 0
  let overflow = 0 // nodes too deep, leaves and internal nodes alike, as gen_bitlen counts them
  let h = heapMax + 1
  for (; h < HEAP_SIZE; h++) {
    const n = heap[h]
    let bits = len[dad[n]] + 1
    if (bits > maxLength) {
      bits = maxLength
      overflow++
    }
    len[n] = bits
  }
  // The leaves' lengths counted and costed apart from the loop above, in which leaves and
  // internal nodes alternate unpredictably.
  const blCount = tree.lengthCounts
  blCount.fill(0)
  let bits = 0
  if (used !== undefined && usedCount >= 2) {
    for (let i = 0; i < usedCount; i++) {
      const n = used[i]
      const length = len[n]
      blCount[length]++
      bits += freq[n] * (length + symbolExtraBits[n])
    }
  } else {
    // Also the dummy leaves buildTree added, which have a frequency of 1.
    for (let n = 0; n <= maxCode; n++) {
      if (freq[n] === 0) continue
      const length = len[n]
      blCount[length]++
      bits += freq[n] * (length + symbolExtraBits[n])
    }
  }
  optLen += bits
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
 * The bit-length codes that send the block's code lengths, each with its extra bits
 * (symbol | extra << {@link OP_EXTRA_SHIFT}), in sending order: the literal/length tree's, then
 * the distance tree's. Recorded once while counting (zlib's scan_tree) and replayed to send them
 * (zlib's send_tree), so the runs are found only once. A code length gives at most one entry
 * (recordUsedLengths may write one entry past its last).
 */
const lengthOps = new Int32Array(L_CODES + D_CODES + 1)
const OP_EXTRA_SHIFT = 5
const OP_SYMBOL_MASK = (1 << OP_EXTRA_SHIFT) - 1
/** Entries of {@link lengthOps} recorded for the current block. */
let lengthOpCount = 0

/**
 * Records, from `ops[at]` on, how zlib's scan_tree and send_tree run-length code the lengths of
 * `tree`, and returns the end of the entries. Runs of equal lengths become code 16 (after one
 * explicit length), runs of zeros codes 17/18.
 */
function recordLengths(tree: Tree, ops: Int32Array, at: number): number {
  const { len, maxCode } = tree
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
      do ops[at++] = curLen
      while (--count !== 0)
    } else if (curLen !== 0) {
      if (curLen !== prevLen) {
        ops[at++] = curLen
        count--
      }
      ops[at++] = REP_3_6 | ((count - 3) << OP_EXTRA_SHIFT)
    } else if (count <= 10) {
      ops[at++] = REPZ_3_10 | ((count - 3) << OP_EXTRA_SHIFT)
    } else {
      ops[at++] = REPZ_11_138 | ((count - 11) << OP_EXTRA_SHIFT)
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
  return at
}

/**
 * {@link recordLengths} for the literal/length tree, from its used symbols `used[0, usedCount)`
 * (increasing): the same entries, symbol by symbol over the used ones only. Before each used
 * symbol lies a run of zero lengths, which scan_tree sends as one 17 (3 to 10 zeros) or 18 (11
 * to 138), or as 1 or 2 zero lengths. A nonzero length is sent as itself, except within a run of
 * equal lengths of consecutive symbols: after the run's first length, each group of 3 to 6 more
 * is one 16. Such runs are rare in tokens, so each length is first recorded as itself and, when
 * a group reaches 3, its three entries become a 16, which the next ones of the group extend.
 * The usual cases go without branches: the gaps and runs of a token's symbols are irregular, and
 * mispredicted branches cost more than the rest of this loop.
 */
function recordUsedLengths(
  tree: Tree,
  used: Int32Array,
  usedCount: number,
  ops: Int32Array,
): number {
  const { len } = tree
  let at = 0
  let previous = -1
  let runLength = 0 // the length of the previous used symbol
  let run = 0 // equal lengths of consecutive symbols up to the previous used symbol
  for (let i = 0; i < usedCount; i++) {
    const n = used[i]
    const length = len[n]
    let zeros = n - previous - 1
    previous = n
    while (zeros > 138) {
      ops[at++] = REPZ_11_138 | ((138 - 11) << OP_EXTRA_SHIFT)
      zeros -= 138
    }
    // 0 to 138 zeros: nothing, one or two 0 entries, a 17 or an 18. Both entries are written and
    // `at` advanced by the number that count.
    const few = (zeros - 3) >> 31 // -1 for 0 to 2 zeros, else 0
    const many = (10 - zeros) >> 31 // -1 for 11 or more, else 0
    const repeat =
      (REPZ_3_10 | ((zeros - 3) << OP_EXTRA_SHIFT)) +
      (many & (REPZ_11_138 - REPZ_3_10 - (8 << OP_EXTRA_SHIFT)))
    ops[at] = repeat & ~few
    ops[at + 1] = 0
    at += 1 + (few & (zeros - 1))
    const differs = zeros | (length ^ runLength) // 0 when n continues a run of equal lengths
    run = (run & ((differs - 1) >> 31)) + 1
    runLength = length
    ops[at++] = length
    if (run >= 4) {
      // After the run's first length, the run - 1 others form groups of up to 6.
      const inGroup = ((run - 2) % 6) + 1
      if (inGroup === 3) {
        at -= 3
        ops[at++] = REP_3_6
      } else if (inGroup > 3) {
        at--
        ops[at - 1] += 1 << OP_EXTRA_SHIFT
      }
    }
  }
  return at
}

/**
 * Builds the bit-length tree and returns the index in CODE_LENGTH_ORDER of the last length to send
 * (at least 3: RFC 1951 requires 4 or more). Adds the tree header's cost to optLen.
 */
function buildBitLengthTree(usedLiterals: Int32Array, usedCount: number): number {
  const ops = lengthOps
  // The used list lacks zlib's dummy literal, added when only the end-of-block code occurs.
  let count =
    usedCount >= 2
      ? recordUsedLengths(ltree, usedLiterals, usedCount, ops)
      : recordLengths(ltree, ops, 0)
  count = recordLengths(dtree, ops, count)
  lengthOpCount = count
  const blFreq = bltree.freq
  for (let i = 0; i < count; i++) blFreq[ops[i] & OP_SYMBOL_MASK]++
  buildTree(bltree)
  let maxIndex = BL_CODES - 1
  for (; maxIndex >= 3; maxIndex--) if (bltree.len[CODE_LENGTH_ORDER[maxIndex]] !== 0) break
  // 3 bits per sent bit-length length, plus HLIT (5), HDIST (5) and HCLEN (4).
  optLen += 3 * (maxIndex + 1) + 5 + 5 + 4
  return maxIndex
}

/** Sends a dynamic block's header: HLIT, HDIST, HCLEN and the code lengths (RFC 1951 §3.2.7). */
function sendAllTrees(w: BitWriter, maxBlIndex: number): void {
  w.putBits(ltree.maxCode + 1 - 257, 5)
  w.putBits(dtree.maxCode + 1 - 1, 5)
  w.putBits(maxBlIndex + 1 - 4, 4)
  const blLen = bltree.len
  const blCode = bltree.code
  for (let rank = 0; rank <= maxBlIndex; rank++) w.putBits(blLen[CODE_LENGTH_ORDER[rank]], 3)
  const ops = lengthOps
  const count = lengthOpCount
  for (let i = 0; i < count; i++) {
    const op = ops[i]
    const symbol = op & OP_SYMBOL_MASK
    const length = blLen[symbol]
    // A code is at most 7 bits and its extra bits at most 7: one piece of at most 14 bits.
    w.putBits(blCode[symbol] | ((op >> OP_EXTRA_SHIFT) << length), length + BL_EXTRA[symbol])
  }
}

/** Starts a new block: only the end-of-block symbol is known to occur (zlib's init_block). */
export function resetTrees(): void {
  ltree.freq.fill(0, 0, L_CODES)
  dtree.freq.fill(0, 0, D_CODES)
  bltree.freq.fill(0, 0, BL_CODES)
  ltree.freq[END_BLOCK] = 1
  optLen = 0
}

/**
 * Builds the block's literal/length, distance and bit-length trees from the symbol counts in
 * `ltree.freq` and `dtree.freq`, and returns the index in CODE_LENGTH_ORDER of the last
 * bit-length code length to send. `usedLiterals[0, usedCount)` lists the literal/length symbols
 * with a nonzero count, in increasing order. Sets {@link dynamicBlockBits}.
 */
export function buildDynamicTrees(usedLiterals: Int32Array, usedCount: number): number {
  buildTree(ltree, usedLiterals, usedCount)
  buildTree(dtree)
  return buildBitLengthTree(usedLiterals, usedCount)
}

/** The block's size in bits with the trees of {@link buildDynamicTrees} (zlib's opt_len). */
export function dynamicBlockBits(): number {
  return optLen
}

/**
 * Sends the header of a dynamic block whose trees {@link buildDynamicTrees} built, from the same
 * used literal/length symbols.
 */
export function sendDynamicTrees(
  w: BitWriter,
  maxBlIndex: number,
  usedLiterals: Int32Array,
  usedCount: number,
): void {
  // The used list lacks zlib's dummy literal, added when only the end-of-block code occurs.
  if (usedCount >= 2) assignUsedCodes(ltree, usedLiterals, usedCount)
  else assignCodes(ltree)
  assignCodes(dtree)
  assignCodes(bltree)
  sendAllTrees(w, maxBlIndex)
}
