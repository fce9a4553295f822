// Which kind of block zlib emits (_tr_flush_block's stored / fixed / dynamic choice), decided
// where possible without building the Huffman trees.
import { DIST_EXTRA, D_CODES, END_BLOCK, LENGTH_EXTRA, LITERALS, L_CODES } from './tables.js'
import {
  countLiteral,
  countLongZeroRun,
  countZeroRuns,
  noteLiteralBlock,
  discardBound,
  dynamicBitsLowerBound,
  literalEntropyBits,
  startBound,
} from './huffman-bound.js'
import { dtree, ltree, STATIC_DTREE_LEN, STATIC_LTREE_LEN } from './trees.js'

/** Block types, as the 2-bit BTYPE of a block header (RFC 1951 §3.2.3): stored (raw bytes), */
export const STORED = 0
/** fixed Huffman codes (§3.2.6), */
export const FIXED = 1
/** and dynamic Huffman codes sent in the block header (§3.2.7). */
export const DYNAMIC = 2
/** Result of {@link chooseWithoutTrees} when the bound is not decisive. */
export const UNDECIDED = -1

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
// lower bound of opt_len is computed from the symbol counts alone (huffman-bound.ts); when even
// that bound cannot beat the fixed (or the stored) block, zlib's choice is known and the trees
// are not built.

/**
 * How far the entropy of a block's symbols (plus extra bits) must lie below its fixed-code size
 * for the bound not to be tried. On the realistic mix the gap is 320-430 bits for blocks zlib
 * codes fixed, 680-800 for the RTM2 blocks it codes dynamic; a dynamic header takes ~250-300.
 */
const CLEARLY_DYNAMIC_BITS = 600

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

/** The lower bound of opt_len found by chooseWithoutTrees, or -1 if it was not computed. */
let lowerBoundBits = -1

/**
 * The lower bound of the current block's size with the dynamic trees (zlib's opt_len) that
 * {@link chooseWithoutTrees} computed, or -1 when it computed none (for tests).
 */
export function dynamicBitsAtLeast(): number {
  return lowerBoundBits
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

/**
 * Per literal/length symbol: its extra bits (0 for a literal or the end of block), and its size
 * with the fixed code, extra bits included, so that the symbol loop needs no branch on the kind.
 */
const SYMBOL_EXTRA_BITS = new Uint8Array(L_CODES)
/** See {@link SYMBOL_EXTRA_BITS}. */
const FIXED_SYMBOL_BITS = new Uint8Array(L_CODES)
for (let n = 0; n < L_CODES; n++) {
  SYMBOL_EXTRA_BITS[n] = n > END_BLOCK ? LENGTH_EXTRA[n - LITERALS - 1] : 0
  FIXED_SYMBOL_BITS[n] = STATIC_LTREE_LEN[n] + SYMBOL_EXTRA_BITS[n]
}

/** The distance codes zlib's tree includes (increasing): the used ones and its dummies, with their
 * counts (1 for a dummy). */
const distanceList = new Int32Array(D_CODES)
/** See {@link distanceList}. */
const distanceFreq = new Int32Array(D_CODES)

/**
 * Returns the block type zlib will choose if that follows from a lower bound of opt_len and the
 * exact static_len and stored length alone, else UNDECIDED.
 */
export function chooseWithoutTrees(storedLength: number): number {
  const lFreq = ltree.freq
  const dFreq = dtree.freq
  startBound()
  lowerBoundBits = -1

  // Literal/length alphabet, in one pass: the used symbols, fixed-code size, extra bits, and the
  // bound's frequency classes and gaps (the runs of zero code lengths).
  let fixedBits = 0
  let extraBits = 0
  let lCodes = 0
  let total = 0
  let maxFreq = 0
  let last = -1
  let block = 0
  let zeroCodes = 0
  let shortZeroRuns = 0
  let longZeroRuns = 0
  const usedBits = literalUsedBits
  const used = usedLiterals
  const symbolExtraBits = SYMBOL_EXTRA_BITS
  const fixedSymbolBits = FIXED_SYMBOL_BITS
  for (let word = 0; word < usedBits.length; word++) {
    // Visit the set bits of the word, lowest first.
    for (let bits = usedBits[word]; bits !== 0; bits &= bits - 1) {
      const n = (word << 5) | (31 - Math.clz32(bits & -bits))
      const f = lFreq[n]
      countLiteral(f)
      total += f
      if (f > maxFreq) maxFreq = f
      fixedBits += f * fixedSymbolBits[n]
      extraBits += f * symbolExtraBits[n]
      // The zero lengths before n: zlib sends 1-2 as 0s, 3-10 as a 17, 11-138 as an 18. Counted
      // without branches, as is the block of consecutive symbols n extends or starts: whether
      // the next symbol follows on is unpredictable, and the branches cost ~10% of the bound.
      const gap = n - last - 1
      const below3 = (gap - 3) >>> 31
      const below11 = (gap - 11) >>> 31
      const below139 = (gap - 139) >>> 31
      zeroCodes += gap & -below3
      shortZeroRuns += below11 - below3
      longZeroRuns += below139 - below11
      if (below139 === 0) countLongZeroRun(gap)
      const startsBlock = -gap >>> 31
      if ((startsBlock & ((3 - block) >>> 31)) !== 0) noteLiteralBlock(lCodes - block, lCodes)
      block = ((block + 1) & (startsBlock - 1)) | startsBlock
      used[lCodes++] = n
      last = n
    }
  }
  usedLiteralCount = lCodes
  countZeroRuns(zeroCodes, shortZeroRuns, longZeroRuns)

  // Distance alphabet, including zlib's dummy codes (count 1) when fewer than two are used.
  let dCodes = 0
  let dMax = -1
  let dTotal = 0
  let dSumFLogF = 0
  for (let n = 0; n < D_CODES; n++) {
    const f = dFreq[n]
    if (f === 0) continue
    dTotal += f
    dSumFLogF += f * Math.log2(f)
    distanceList[dCodes++] = n
    distanceFreq[n] = f
    dMax = n
    const xbits = DIST_EXTRA[n]
    fixedBits += f * (STATIC_DTREE_LEN[n] + xbits)
    extraBits += f * xbits
  }
  fixedCodeBits = fixedBits

  // When the symbols' entropy is far below the fixed code's size, the dynamic block wins (as for
  // an RTM2 token's ~300 bytes): go straight to the trees. Only a shortcut: the bound decides.
  const entropy =
    literalEntropyBits(total, maxFreq) + (dTotal > 0 ? dTotal * Math.log2(dTotal) - dSumFLogF : 0)
  if (fixedBits - (entropy + extraBits) > CLEARLY_DYNAMIC_BITS) {
    discardBound(maxFreq)
    return UNDECIDED
  }

  let dummies = 0
  if (dCodes < 2) {
    // zlib's dummies: codes 0 and 1 when none is used; else code 1 or 2 after a code below 2,
    // code 0 after a higher one.
    if (dCodes === 0) {
      distanceList[0] = 0
      distanceList[1] = 1
    } else if (dMax < 2) {
      distanceList[1] = dMax + 1
    } else {
      distanceList[1] = dMax
      distanceList[0] = 0
    }
    dummies = 2 - dCodes
    for (let i = 0; i < 2; i++) if (dFreq[distanceList[i]] === 0) distanceFreq[distanceList[i]] = 1
    dCodes = 2
  }

  const bound = dynamicBitsLowerBound(
    used,
    lCodes,
    lFreq,
    maxFreq,
    block,
    distanceList,
    dCodes,
    distanceFreq,
    dummies,
  )
  // Only the end-of-block code (zlib adds a dummy literal), or a block the bound cannot follow.
  if (bound < 0) return UNDECIDED
  lowerBoundBits = bound + extraBits
  const fixedBytes = (fixedBits + 3 + 7) >>> 3
  const dynamicBytesAtLeast = (lowerBoundBits + 3 + 7) >>> 3
  // Dynamic cannot beat fixed: zlib compares stored against the fixed size only.
  if (dynamicBytesAtLeast >= fixedBytes) return storedLength + 4 <= fixedBytes ? STORED : FIXED
  // Stored beats fixed and even the smallest possible dynamic block.
  if (storedLength + 4 <= dynamicBytesAtLeast && storedLength + 4 <= fixedBytes) return STORED
  return UNDECIDED
}
