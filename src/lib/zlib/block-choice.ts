// Which kind of block zlib emits (_tr_flush_block's stored / fixed / dynamic choice), decided
// where possible without building the Huffman trees.
import {
  CODE_LENGTH_ORDER,
  DIST_EXTRA,
  D_CODES,
  BL_CODES,
  END_BLOCK,
  LENGTH_EXTRA,
  LITERALS,
  L_CODES,
  MAX_BITS,
} from './tables.js'
import { dtree, ltree, STATIC_DTREE_LEN, STATIC_LTREE_LEN } from './trees.js'

/** Block types, as the 2-bit BTYPE of a block header (RFC 1951 §3.2.3): stored (raw bytes), */
export const STORED = 0
/** fixed Huffman codes (§3.2.6), */
export const FIXED = 1
/** and dynamic Huffman codes sent in the block header (§3.2.7). */
export const DYNAMIC = 2
/** Result of {@link chooseWithoutTrees} when the bound is not decisive. */
export const UNDECIDED = -1

/** HLIT (5 bits), HDIST (5) and HCLEN (4): the counts that open a dynamic block header. */
const HEADER_COUNT_BITS = 5 + 5 + 4
/**
 * The entropy is computed in floating point: this much is taken off before rounding up, so that
 * a rounding error can never raise the bound above the true (integer) size.
 */
const ENTROPY_SLACK_BITS = 1e-3
/**
 * zlib's choice between the three block types, from the block's size in bits with the dynamic
 * trees (`dynamicBits`, zlib's opt_len) and with the fixed code (`fixedBits`, static_len).
 * Sizes are compared in whole bytes including the 3-bit block header, fixed winning ties.
 */
export function chooseBlockType(
  storedLength: number,
  dynamicBits: number,
  fixedBits: number,
): number {
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
export const literalUsedBits = new Int32Array((L_CODES + 31) >>> 5)

/** The used literal/length symbols, in increasing order, as found by chooseWithoutTrees. */
export const usedLiterals = new Int32Array(L_CODES)
let usedLiteralCount = 0

/** How many entries of {@link usedLiterals} the last {@link chooseWithoutTrees} filled in. */
export function usedLiteralsCount(): number {
  return usedLiteralCount
}

/** The current block's size in bits with the fixed code, found by chooseWithoutTrees. */
let fixedCodeBits = 0

/**
 * The current block's size in bits with the fixed code (zlib's static_len), once
 * {@link chooseWithoutTrees} has run for it.
 */
export function fixedBlockBits(): number {
  return fixedCodeBits
}

/** Which distance codes zlib's tree includes: the used ones plus its forced dummies. */
const distanceUsed = new Uint8Array(D_CODES + 2)

/**
 * Returns the block type zlib will choose if that follows from a lower bound of opt_len and the
 * exact static_len and stored length alone, else UNDECIDED.
 */
export function chooseWithoutTrees(storedLength: number): number {
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
  fixedCodeBits = fixedBits
  // Only the end-of-block code: zlib adds a dummy literal; leave this rare case to the trees.
  if (lCodes < 2) return UNDECIDED
  const fixedBytes = (fixedBits + 3 + 7) >>> 3
  countRuns(distanceUsed, dMax + 1)
  const lastBlIndex = Math.max(
    MIN_LAST_BL_INDEX[Math.min(31 - Math.clz32(lCodes), MAX_BITS)],
    MIN_LAST_BL_INDEX[Math.min(31 - Math.clz32(dCodes), MAX_BITS)],
  )
  const lowerBound =
    Math.ceil(entropy - ENTROPY_SLACK_BITS) +
    extraBits +
    HEADER_COUNT_BITS +
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
