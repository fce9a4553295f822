// A tight lower bound of zlib's opt_len (the size of a dynamic block) computed without zlib's
// heap, for block-choice.ts: when even this bound cannot beat the fixed-code block, zlib emits a
// fixed (or stored) block and its three Huffman trees need not be built.
//
// Why it holds. zlib's build_tree repeatedly merges the two smallest nodes, ordered by
// (frequency, subtree depth); its heap decides only which of several nodes with the same key is
// taken first. So:
//   - The keys it takes, in order, and the key of every node it makes, are the same whatever the
//     heap does: a two-queue merge of the leaves sorted by frequency (new nodes come out in
//     nondecreasing key order) takes the same keys. Its cost (the sum of the new nodes'
//     frequencies) is the data size of every such tree, zlib's included, while no code is longer
//     than 15 bits (beyond that zlib shortens codes, which this bound does not follow: it gives up).
//   - Call a "group" the nodes of one key, and the places at which they are taken its slots.
//     Which node of a group fills which slot is all the heap changes. A slot's depth is its
//     parent's depth + 1, and the parent is some node of the parent's group, so the depths a
//     group's nodes can have are the union over its slots of (the depths the parent's group can
//     have) + 1: a bit mask per group, computed from the root down. A leaf's possible code lengths
//     are its group's mask.
//   - The number of leaves of each length (the length histogram) is the same for every heap order
//     when each group whose nodes can have several depths either has depth 1 (each of its nodes
//     has two leaves) or has nodes all made from the same pair of groups (each has as many slots
//     of each group below it). Up to three "mixed" groups that break this are followed through
//     all their cases when each is made of two batches, one of a single node (which node sits
//     higher is then all the heap decides there), each length counted at its lowest over the
//     cases (see mixedHistogram). Otherwise the bound gives up.
//   - The code-length header (scan_tree's run-length codes and the bit-length tree): the zero runs
//     depend only on which symbols occur. A nonzero length is sent as itself unless it belongs to a
//     run of 4 or more equal lengths among consecutive symbols; such a run can only lie within a
//     stretch of consecutive symbols whose masks all contain that length. So per length L, the
//     count of codes L is at least the histogram's count minus (stretch size - 1) for each such
//     stretch of 4 or more (exactly the run's codes when all its lengths are known), and the
//     bit-length tree costs at least the Huffman cost of these lower counts (the optimal cost
//     never rises when counts fall, and zlib's 7-bit limit only adds to it).
// Every part is at most zlib's, so the sum is a lower bound of opt_len. On the realistic mix's
// blocks (about 65 distinct literals, mostly UUID and hex text) it is a median 13 bits below
// opt_len, while the fixed block wins there by a median of about 80 bits: it decides 98-99.7% of
// them (docs/performance.md, "Names").
//
// All leaves of one frequency are alike, so the merge runs on frequency classes and on batches of
// equal new nodes, not node by node: a token's ~65 literals fall into ~10 classes and ~20 groups.
// (Node by node it cost as much as zlib's heap.)
import { BL_CODES, CODE_LENGTH_ORDER, L_CODES, MAX_BITS } from './tables.js'

/** Frequencies up to this are counted into classes; a block with a larger one is left to the trees. */
const MAX_CLASS_FREQ = 511
/** A group's key: frequency << DEPTH_BITS | depth, zlib's order (trees.c `smaller`). */
const DEPTH_BITS = 6
const DEPTH_MASK = (1 << DEPTH_BITS) - 1
/** Groups of the largest tree: at most one per leaf class and one per batch of new nodes. */
const MAX_GROUPS = 4 * 286

/** Number of used symbols of each frequency. */
const classSize = new Int32Array(MAX_CLASS_FREQ + 1)
/** Leaf group of each frequency (valid for the frequencies in use). */
const classGroup = new Int32Array(MAX_CLASS_FREQ + 1)

/** Per group: its key and its number of nodes. Leaf classes first, then groups of new nodes. */
const groupKey = new Int32Array(MAX_GROUPS)
const groupSize = new Int32Array(MAX_GROUPS)
/** Possible depths of the group's nodes, as a bit mask (bit d: depth d). */
const groupMask = new Int32Array(MAX_GROUPS)
/**
 * The depths of the group's slots in one tree the heap can make: `groupLow` slots at depth
 * `groupBase`, `groupHigh` at groupBase + 1 (more spread gives up; it does not occur in tokens).
 */
const groupBase = new Int32Array(MAX_GROUPS)
const groupLow = new Int32Array(MAX_GROUPS)
const groupHigh = new Int32Array(MAX_GROUPS)
/** The two child groups all the group's nodes are made of (a << 16 | b), or MIXED_CHILDREN. */
const groupChildren = new Int32Array(MAX_GROUPS)
const MIXED_CHILDREN = -1

/** Batches of equal new nodes, in the order they are made: their group, size and children. */
const batchGroup = new Int32Array(MAX_GROUPS)
const batchSize = new Int32Array(MAX_GROUPS)
const batchFirst = new Int32Array(MAX_GROUPS)
const batchSecond = new Int32Array(MAX_GROUPS)

/** Lower bounds of the bit-length code counts (BL_CODES entries). */
const codeCounts = new Int32Array(BL_CODES)
/** Number of leaves of each code length, both trees together. */
const lengthHistogram = new Int32Array(MAX_BITS + 1)
/** Sorted nonzero code counts, and the merged weights, for the bit-length tree's Huffman cost. */
const sortedCounts = new Int32Array(BL_CODES)
const mergedCounts = new Int32Array(BL_CODES)
/** Extra bits of the repeat codes 16, 17, 18 counted so far. */
let repeatExtraBits = 0

/**
 * Adds `count` slots at `depth` to group g's slot depths; false if they would span more than two
 * depths.
 */
function addSlots(g: number, depth: number, count: number): boolean {
  if (count === 0) return true
  const base = groupBase[g]
  if (base < 0) {
    groupBase[g] = depth
    groupLow[g] = count
  } else if (depth === base) {
    groupLow[g] += count
  } else if (depth === base + 1) {
    groupHigh[g] += count
  } else if (depth === base - 1 && groupHigh[g] === 0) {
    groupHigh[g] = groupLow[g]
    groupLow[g] = count
    groupBase[g] = depth
  } else {
    return false
  }
  return true
}

/** The most mixed groups (see analyseTree) followed through all their cases: 2^3 cases. */
const MAX_MIXED = 3
/** The mixed groups of the tree being analysed. */
const mixedGroups = new Int32Array(MAX_MIXED)
/** Length histogram of one case of the mixed groups, and the lowest counts over the cases. */
const caseHistogram = new Int32Array(MAX_BITS + 2)
const lowestHistogram = new Int32Array(MAX_BITS + 2)

/**
 * Sets the groups' slot depths (groupBase, groupLow, groupHigh) in one tree the heap can make, and
 * their possible depths (groupMask), from the root down: a batch's parent group is complete once
 * every later batch is done (its slots are all in batches made after its nodes were). A group's
 * slot depths are handed out to its batches, later batches first, shallowest first (deepest first
 * for the mixed groups whose bit is set in `deepFirst`). The groups' slots must be empty
 * (groupBase -1, groupLow and groupHigh 0). False if some group's slots would span more than two
 * depths. (analyseTree has the same loop inline for the first case.)
 */
function placeSlots(batches: number, root: number, mixed: number, deepFirst: number): boolean {
  const masks = groupMask
  const bases = groupBase
  const lows = groupLow
  const highs = groupHigh
  const flipped = mixedGroups
  bases[root] = 0
  lows[root] = 1
  for (let b = batches - 1; b >= 0; b--) {
    const parent = batchGroup[b]
    const made = batchSize[b]
    let deep = false
    for (let m = 0; m < mixed; m++)
      if (flipped[m] === parent && ((deepFirst >> m) & 1) !== 0) deep = true
    let atLow: number
    if (deep) {
      const high = highs[parent]
      const atHigh = made < high ? made : high
      highs[parent] = high - atHigh
      atLow = made - atHigh
      lows[parent] -= atLow
    } else {
      const low = lows[parent]
      atLow = made < low ? made : low
      lows[parent] = low - atLow
    }
    const depth = bases[parent] + 1
    const childMask = masks[parent] << 1
    const first = batchFirst[b]
    const second = batchSecond[b]
    masks[first] |= childMask
    masks[second] |= childMask
    if (first === second) {
      if (!addSlots(first, depth, 2 * atLow) || !addSlots(first, depth + 1, 2 * (made - atLow)))
        return false
    } else {
      const at = atLow === 1 ? depth : depth + 1
      if (!addSlots(first, at, 1) || !addSlots(second, at, 1)) return false
    }
  }
  return true
}

/** Adds the leaf classes' slot depths, as code lengths, to `histogram`. */
function classHistogram(classes: number, histogram: Int32Array): void {
  for (let c = 0; c < classes; c++) {
    histogram[groupBase[c]] += groupLow[c]
    histogram[groupBase[c] + 1] += groupHigh[c]
  }
}

/**
 * Adds the length histogram to lengthHistogram when the `mixed` groups in mixedGroups can sit at
 * several depths and their nodes are not all alike. When each was made by two batches, one of a
 * single node, which of its nodes goes to the shallower slots is all the heap decides there: all
 * the cases (that node at the shallower or at the deeper slots, for each group) are followed, the
 * first already placed by analyseTree, and each length counted at the lowest over the cases.
 * False otherwise.
 */
function mixedHistogram(
  classes: number,
  groups: number,
  batches: number,
  root: number,
  mixed: number,
): boolean {
  for (let m = 0; m < mixed; m++) {
    let mixedBatches = 0
    let single = false
    for (let b = 0; b < batches; b++) {
      if (batchGroup[b] !== mixedGroups[m]) continue
      mixedBatches++
      if (batchSize[b] === 1) single = true
    }
    if (mixedBatches !== 2 || !single) return false
  }
  const lowest = lowestHistogram
  const histogram = caseHistogram
  lowest.fill(0)
  classHistogram(classes, lowest)
  for (let deepFirst = 1; deepFirst < 1 << mixed; deepFirst++) {
    groupBase.fill(-1, 0, groups)
    groupLow.fill(0, 0, groups)
    groupHigh.fill(0, 0, groups)
    if (!placeSlots(batches, root, mixed, deepFirst)) return false
    histogram.fill(0)
    classHistogram(classes, histogram)
    for (let length = 1; length <= MAX_BITS; length++)
      if (histogram[length] < lowest[length]) lowest[length] = histogram[length]
  }
  for (let length = 1; length <= MAX_BITS; length++) lengthHistogram[length] += lowest[length]
  return true
}

/**
 * Counts the symbols `used[0, count)` into classSize by frequency; returns the largest frequency
 * (a frequency above MAX_CLASS_FREQ is counted in class 0, which makes the bound give up).
 */
function countClasses(used: Int32Array, count: number, freq: Int32Array): number {
  const sizes = classSize
  let maxFreq = 0
  for (let i = 0; i < count; i++) {
    const f = freq[used[i]]
    if (f > maxFreq) maxFreq = f
    sizes[f > MAX_CLASS_FREQ ? 0 : f]++
  }
  return maxFreq
}

/**
 * Runs zlib's build_tree as a two-queue merge of the frequency classes counted in classSize
 * (frequencies up to maxFreq; the counts are cleared): returns the data size in bits of every
 * tree zlib can build from them (without extra bits), adds the leaves' code lengths to
 * lengthHistogram and sets the lengths' possible values (classGroup, groupMask) for the header.
 * Returns -1 when the bound cannot follow (see the file comment).
 */
function analyseTree(maxFreq: number): number {
  // Module-level arrays are copied to locals: V8 re-checks module bindings on every access.
  const sizes = classSize
  const keys = groupKey
  const nodes = groupSize
  const masks = groupMask
  const bases = groupBase
  const children = groupChildren
  const bGroup = batchGroup
  const bSize = batchSize
  const bFirst = batchFirst
  const bSecond = batchSecond

  // Leaf classes, in increasing frequency: one group each.
  const lastClass = maxFreq < MAX_CLASS_FREQ ? maxFreq : MAX_CLASS_FREQ
  if (sizes[0] !== 0) {
    sizes.fill(0, 0, lastClass + 1)
    return -1
  }
  let classes = 0
  for (let f = 1; f <= lastClass; f++) {
    const n = sizes[f]
    if (n === 0) continue
    sizes[f] = 0
    classGroup[f] = classes
    keys[classes] = f << DEPTH_BITS
    nodes[classes] = n
    masks[classes] = 0
    bases[classes] = -1
    groupLow[classes] = 0
    groupHigh[classes] = 0
    classes++
  }

  // The merge. Groups are taken whole, in key order, from the leaf classes and from the groups
  // of new nodes (made in key order). A node left over from a group with an odd number of nodes
  // pairs with the first of the next group; the rest pair among themselves, in one batch.
  let nextClass = 0
  let nextGroup = classes
  let groups = classes
  let batches = 0
  let pending = -1
  let cost = 0
  for (;;) {
    let g: number
    if (nextClass < classes && (nextGroup === groups || keys[nextClass] < keys[nextGroup])) {
      g = nextClass++
    } else if (nextGroup < groups) {
      g = nextGroup++
    } else {
      break
    }
    let left = nodes[g]
    for (let pass = 0; pass < 2; pass++) {
      // Pass 0: the pending node with one of g's; pass 1: g's nodes in pairs.
      let first: number
      let made: number
      if (pass === 0) {
        if (pending < 0) continue
        first = pending
        made = 1
        left--
        pending = -1
      } else {
        made = left >> 1
        if (made === 0) break
        first = g
        left -= 2 * made
      }
      const keyA = keys[first]
      const keyB = keys[g]
      const weight = (keyA >> DEPTH_BITS) + (keyB >> DEPTH_BITS)
      const depthA = keyA & DEPTH_MASK
      const depthB = keyB & DEPTH_MASK
      const key = (weight << DEPTH_BITS) | ((depthA > depthB ? depthA : depthB) + 1)
      cost += made * weight
      const pair = (first << 16) | g
      // Equal new nodes join the last group if it has the same key and is not taken yet.
      let target = groups - 1
      if (target >= nextGroup && keys[target] === key) {
        nodes[target] += made
        if (children[target] !== pair) children[target] = MIXED_CHILDREN
      } else {
        target = groups++
        keys[target] = key
        nodes[target] = made
        masks[target] = 0
        bases[target] = -1
        groupLow[target] = 0
        groupHigh[target] = 0
        children[target] = pair
      }
      bGroup[batches] = target
      bSize[batches] = made
      bFirst[batches] = first
      bSecond[batches] = g
      batches++
    }
    if (left === 1) pending = g
  }
  // The last node left is the root, alone in the last group.
  const root = pending
  if ((keys[root] & DEPTH_MASK) > MAX_BITS) return -1
  masks[root] = 1
  bases[root] = 0
  groupLow[root] = 1

  // From the root down, as placeSlots (the same loop, kept inline here: the mix's deflate measured
  // ~4% slower with the call).
  for (let b = batches - 1; b >= 0; b--) {
    const parent = bGroup[b]
    const made = bSize[b]
    const low = groupLow[parent]
    const atLow = made < low ? made : low
    groupLow[parent] = low - atLow
    const depth = bases[parent] + 1
    const childMask = masks[parent] << 1
    const first = bFirst[b]
    const second = bSecond[b]
    masks[first] |= childMask
    masks[second] |= childMask
    if (first === second) {
      if (!addSlots(first, depth, 2 * atLow) || !addSlots(first, depth + 1, 2 * (made - atLow)))
        return -1
    } else {
      const at = atLow === 1 ? depth : depth + 1
      if (!addSlots(first, at, 1) || !addSlots(second, at, 1)) return -1
    }
  }

  // A group of depth 2 or more whose nodes can sit at several depths and are not all made from
  // the same pair of groups changes the length histogram with the heap's choices (see
  // mixedHistogram).
  let mixed = 0
  for (let g = classes; g < groups; g++) {
    const mask = masks[g]
    if (
      (mask & (mask - 1)) !== 0 &&
      (keys[g] & DEPTH_MASK) >= 2 &&
      children[g] === MIXED_CHILDREN
    ) {
      if (mixed === MAX_MIXED) return -1
      mixedGroups[mixed++] = g
    }
  }
  if (mixed > 0) return mixedHistogram(classes, groups, batches, root, mixed) ? cost : -1
  const histogram = lengthHistogram
  for (let c = 0; c < classes; c++) {
    const base = bases[c]
    histogram[base] += groupLow[c]
    if (groupHigh[c] !== 0) histogram[base + 1] += groupHigh[c]
  }
  return cost
}

/** Counts the code-length codes of `run` zero lengths (scan_tree: 0, 17 or 18). */
function countZeroRun(run: number): void {
  const counts = codeCounts
  while (run > 0) {
    const chunk = run < 138 ? run : 138
    if (chunk < 3) {
      counts[0] += chunk
    } else if (chunk <= 10) {
      counts[17]++
      repeatExtraBits += 3
    } else {
      counts[18]++
      repeatExtraBits += 7
    }
    run -= chunk
  }
}

/**
 * Ends a stretch of `size` consecutive symbols that can all have length `length`: a run of equal
 * lengths (4 or more) can lie there. `known` tells that all of them have exactly that length,
 * so the run and its codes are certain (scan_tree: a first group of up to 7, the length and a
 * 16 when 4 or more; then groups of up to 6, a 16 when 3 or more); otherwise at most size - 1
 * codes of the length can be saved, for some 16s that are not counted.
 */
function endStretch(length: number, size: number, known: boolean): void {
  const counts = codeCounts
  if (!known) {
    counts[length] -= size - 1
    return
  }
  let codes = 1
  let repeats = 1
  let rest = size - (size < 7 ? size : 7)
  while (rest > 0) {
    const group = rest < 6 ? rest : 6
    if (group < 3) codes += group
    else repeats++
    rest -= group
  }
  counts[length] -= size - codes
  counts[16] += repeats
  repeatExtraBits += 2 * repeats
}

/** Sizes of the open stretches of 4 or more, per code length (see endStretch). */
const stretchSize = new Int32Array(MAX_BITS + 1)

/**
 * Counts the codes of runs in `used[from, to)`, consecutive symbols: for each length, the
 * stretches of 4 or more symbols that can all have it (see endStretch). Stretches are followed
 * bit-parallel over the lengths: most symbols only shift a few masks, and only stretches that
 * reach 4 symbols are counted one by one.
 */
function countRuns(used: Int32Array, from: number, to: number, freq: Int32Array): void {
  const sizes = stretchSize
  const masks = groupMask
  const groupOf = classGroup
  // Lengths the last 1, 2, 3 symbols can all have, and those all of them have for certain.
  let can1 = 0
  let can2 = 0
  let can3 = 0
  let sure1 = 0
  let sure2 = 0
  let sure3 = 0
  // Lengths with an open stretch of 4 or more, and those whose stretch is certain throughout.
  let long = 0
  let longSure = 0
  for (let i = from; i <= to; i++) {
    const mask = i < to ? masks[groupOf[freq[used[i]]]] : 0
    const sure = (mask & (mask - 1)) === 0 ? mask : 0
    for (let ended = long & ~mask; ended !== 0; ended &= ended - 1) {
      const length = 31 - Math.clz32(ended & -ended)
      endStretch(length, sizes[length], ((longSure >> length) & 1) !== 0)
    }
    const nowLong = can3 & mask
    if (nowLong !== 0) {
      const started = nowLong & ~long
      for (let bits = nowLong; bits !== 0; bits &= bits - 1) {
        const length = 31 - Math.clz32(bits & -bits)
        sizes[length] = (started >> length) & 1 ? 4 : sizes[length] + 1
      }
      longSure = (longSure | (started & sure3)) & sure & nowLong
    } else {
      longSure = 0
    }
    long = nowLong
    can3 = can2 & mask
    can2 = can1 & mask
    can1 = mask
    sure3 = sure2 & sure
    sure2 = sure1 & sure
    sure1 = sure
  }
}

/**
 * Counts (lower bounds of) the code-length codes of one tree's lengths, sent for symbols
 * 0..used[count-1]: its zero runs exactly, and the runs of the blocks of 4 or more consecutive
 * symbols. The histogram's counts are added at the end.
 */
function countHeaderCodes(used: Int32Array, count: number, freq: Int32Array): void {
  let previous = -1
  let blockStart = 0
  for (let i = 0; i < count; i++) {
    const symbol = used[i]
    if (symbol === previous + 1) {
      previous = symbol
      continue
    }
    if (i - blockStart >= 4) countRuns(used, blockStart, i, freq)
    countZeroRun(symbol - previous - 1)
    blockStart = i
    previous = symbol
  }
  if (count - blockStart >= 4) countRuns(used, blockStart, count, freq)
}

/** Rank in CODE_LENGTH_ORDER of each bit-length code. */
const CODE_LENGTH_RANK = new Uint8Array(BL_CODES)
for (let rank = 0; rank < BL_CODES; rank++) CODE_LENGTH_RANK[CODE_LENGTH_ORDER[rank]] = rank

/**
 * The Huffman cost of the code counts (sum of the merged weights; a lone code still takes 1 bit
 * per use), and the header's fixed part: HLIT, HDIST, HCLEN and 3 bits per sent bit-length length.
 */
function bitLengthTreeBits(): number {
  const counts = codeCounts
  const sorted = sortedCounts
  const merged = mergedCounts
  let n = 0
  let maxRank = 3
  for (let code = 0; code < BL_CODES; code++) {
    const c = counts[code]
    if (c <= 0) continue
    const rank = CODE_LENGTH_RANK[code]
    if (rank > maxRank) maxRank = rank
    // Insertion sort: at most 19 counts.
    let j = n++
    while (j > 0 && sorted[j - 1] > c) {
      sorted[j] = sorted[j - 1]
      j--
    }
    sorted[j] = c
  }
  const fixedPart = 5 + 5 + 4 + 3 * (maxRank + 1)
  if (n < 2) return fixedPart + (n === 1 ? sorted[0] : 0)
  let cost = 0
  let nextSorted = 0
  let nextMerged = 0
  let made = 0
  for (let k = 1; k < n; k++) {
    let a: number
    if (nextSorted < n && (nextMerged === made || sorted[nextSorted] <= merged[nextMerged]))
      a = sorted[nextSorted++]
    else a = merged[nextMerged++]
    let b: number
    if (nextSorted < n && (nextMerged === made || sorted[nextSorted] <= merged[nextMerged]))
      b = sorted[nextSorted++]
    else b = merged[nextMerged++]
    merged[made++] = a + b
    cost += a + b
  }
  return fixedPart + cost
}

// The literal/length tree is fed by block-choice.ts as it lists the used symbols (one pass
// instead of three): startBound, then per used symbol countLiteral, the gaps between used symbols
// with countZeroRuns (up to 138), countLongZeroRun (more) and noteLiteralBlock, and then
// dynamicBitsLowerBound.

/** Blocks of 4 or more consecutive used literal/length symbols, as [from, to) into the list. */
const literalBlocks = new Int32Array(L_CODES)
let literalBlockEnds = 0

/** Starts the bound of a block. */
export function startBound(): void {
  lengthHistogram.fill(0)
  codeCounts.fill(0)
  repeatExtraBits = 0
  literalBlockEnds = 0
}

/** f * log2(f) for the class frequencies. */
const F_LOG2_F = new Float64Array(MAX_CLASS_FREQ + 1)
for (let f = 1; f <= MAX_CLASS_FREQ; f++) F_LOG2_F[f] = f * Math.log2(f)

/**
 * The Shannon entropy in bits of the literal/length symbols counted with countLiteral, of total
 * count `total`, the largest `maxFreq` (0 when a count is above the classes' range).
 */
export function literalEntropyBits(total: number, maxFreq: number): number {
  if (classSize[0] !== 0) return 0
  const sizes = classSize
  let sum = 0
  for (let f = 1; f <= maxFreq; f++) sum += sizes[f] * F_LOG2_F[f]
  return total * Math.log2(total) - sum
}

/** Forgets the literal/length symbols counted with countLiteral (frequencies up to maxFreq). */
export function discardBound(maxFreq: number): void {
  classSize.fill(0, 0, (maxFreq < MAX_CLASS_FREQ ? maxFreq : MAX_CLASS_FREQ) + 1)
}

/** Counts a used literal/length symbol of frequency f into its class. */
export function countLiteral(f: number): void {
  classSize[f > MAX_CLASS_FREQ ? 0 : f]++
}

/** Notes a block of 4 or more consecutive used literal/length symbols, `[from, to)` in the list. */
export function noteLiteralBlock(from: number, to: number): void {
  literalBlocks[literalBlockEnds++] = from
  literalBlocks[literalBlockEnds++] = to
}

/** Counts the codes of a run of more than 138 zero literal/length lengths. */
export function countLongZeroRun(run: number): void {
  countZeroRun(run)
}

/** Counts the codes of the literal/length zero runs of at most 138: 0s, 17s and 18s. */
export function countZeroRuns(zeros: number, shortRuns: number, longRuns: number): void {
  codeCounts[0] += zeros
  codeCounts[17] += shortRuns
  codeCounts[18] += longRuns
  repeatExtraBits += 3 * shortRuns + 7 * longRuns
}

/**
 * A lower bound of zlib's opt_len without extra bits, for a block whose used literal/length
 * symbols are `literals[0, literalCount)` (increasing, at least two; counted with countLiteral
 * and the gaps, the last block of `lastBlock` symbols) with counts `literalFreq`, the
 * largest `maxLiteralFreq`, and whose distance tree, with zlib's dummy codes already added
 * (`dummies` of them), has the symbols `distances[0, distanceCount)` (increasing, at least two)
 * with counts `distanceFreq`. Returns -1 when the bound cannot be computed.
 */
export function dynamicBitsLowerBound(
  literals: Int32Array,
  literalCount: number,
  literalFreq: Int32Array,
  maxLiteralFreq: number,
  lastBlock: number,
  distances: Int32Array,
  distanceCount: number,
  distanceFreq: Int32Array,
  dummies: number,
): number {
  if (literalCount < 2) {
    discardBound(maxLiteralFreq)
    return -1
  }
  if (lastBlock >= 4) {
    literalBlocks[literalBlockEnds++] = literalCount - lastBlock
    literalBlocks[literalBlockEnds++] = literalCount
  }
  const literalBits = analyseTree(maxLiteralFreq)
  if (literalBits < 0) return -1
  for (let i = 0; i < literalBlockEnds; i += 2)
    countRuns(literals, literalBlocks[i], literalBlocks[i + 1], literalFreq)
  const distanceBits = analyseTree(countClasses(distances, distanceCount, distanceFreq))
  if (distanceBits < 0) return -1
  countHeaderCodes(distances, distanceCount, distanceFreq)
  for (let length = 1; length <= MAX_BITS; length++) {
    const c = codeCounts[length] + lengthHistogram[length]
    codeCounts[length] = c > 0 ? c : 0
  }
  return literalBits + distanceBits - dummies + bitLengthTreeBits() + repeatExtraBits
}
