// zlib's string matcher at level 6: the legacy rolling hash and its chains (deflate.c
// UPDATE_HASH / INSERT_STRING) and longest_match.
import { MAX_MATCH, MIN_MATCH } from './tables.js'

/**
 * The numbers the matcher's loops use, as a const enum so that the compiler writes them into the
 * code as literals: V8's optimised code reads a module-level constant from the module context on
 * every use, which in these loops cost registers and loads (an ~8 KB deflate ran ~5% slower).
 * The level-6 parameters are zlib's configuration_table[6] (windowBits 15, memLevel 8).
 */
// biome-ignore lint/suspicious/noConstEnum: file-local, so esbuild and tsc inline its members
const enum Level6 {
  /** tables.ts MIN_MATCH. */
  MinMatch = 3,
  /** tables.ts MAX_MATCH. */
  MaxMatch = 258,
  /** Lengths of at least this size cut the hash-chain search to a quarter. */
  GoodLength = 8,
  /** A match this long stops the chain search at once. */
  NiceLength = 128,
  /** At most this many hash-chain entries are examined per search. */
  // biome-ignore lint/suspicious/noDuplicateEnumValues: two zlib parameters that happen to be equal
  MaxChain = 128,
  /** {@link MAX_DIST}. */
  MaxDist = 32506,
  /** Legacy hash: hash_bits = memLevel + 7 = 15 ... */
  HashBits = 15,
  /** ... shifted by ceil(15 / 3) = 5 per byte. */
  HashShift = 5,
  HashMask = (1 << HashBits) - 1,
  /** {@link MATCH_START_SHIFT}. */
  MatchStartShift = 9,
}

/** zlib's window (32 KiB, windowBits 15). */
export const WSIZE = 1 << 15
/** zlib keeps this much lookahead and never matches farther back than WSIZE minus it. */
const MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1
/** The farthest back a match may start (zlib's MAX_DIST). */
export const MAX_DIST = WSIZE - MIN_LOOKAHEAD

/**
 * head[h]: the most recent position with hash h, or 0 (zlib's NIL). Empty when a call starts:
 * a short input's entries are cleared as soon as its chains are built (see
 * {@link buildShortHashChains}); after a longer one, the next call first clears the entries it
 * set, one by one from `hashes`, or all at once above {@link CLEAR_BY_FILL_POSITIONS} (cheaper than checking a generation number on every
 * read, a branch the processor cannot predict on token-like data).
 * The clearing comes first, not last, so that no loop follows the chain-building loop: V8 may
 * compile that loop alone during a first large call (on-stack replacement), before anything
 * after it has run, and it then re-entered that code and abandoned it at the next loop on
 * every later call (a deoptimisation loop, seen in about half the processes building ~8 KB
 * tokens, 10-15% slower).
 */
const head = new Uint16Array(1 << Level6.HashBits)
/**
 * hashes[p]: the hash of the three bytes at p, kept to clear `head` in the next call (set only
 * when that clears entry by entry, up to {@link CLEAR_BY_FILL_POSITIONS} positions).
 */
let hashes = new Uint16Array(0)
/** How many positions the last call put in `head`. */
let hashedPositions = 0
/**
 * Above this many positions, clearing all of `head` (64 KiB, ~1 µs) is cheaper than clearing
 * the entries one by one (scattered stores: ~2 µs for 4,000 positions, ~9 µs for 8,000).
 */
const CLEAR_BY_FILL_POSITIONS = 2048
/** prev[p]: the previous position with the same hash as position p, or 0 (zlib's NIL). */
let prev = new Uint16Array(0)

/** The smallest chain array allocated, so that token-sized inputs never grow it. */
const MIN_CHAIN_ENTRIES = 1024

/**
 * Computes prev[] for every position that zlib inserts into its hash table (every position with
 * at least MIN_MATCH bytes left). zlib inserts those positions in increasing order and searches
 * position p right after inserting it, so the chain it walks from p is exactly prev[p], prev[...].
 * The legacy rolling hash after three updates is ((a << 10) ^ (b << 5) ^ c) & HASH_MASK for the
 * three bytes a b c at p; zlib's prev[] is indexed modulo 32K, but it never follows an entry far
 * enough back for that to make a difference (it stops at MAX_DIST). Positions are below 65536
 * (deflate.ts limits the input), so they fit the 16-bit tables. `view` is a DataView of `data`.
 */
export function buildHashChains(data: Uint8Array, view: DataView, n: number): Uint16Array {
  if (hashedPositions > CLEAR_BY_FILL_POSITIONS) {
    head.fill(0)
  } else {
    const stale = hashes
    for (let p = 0; p < hashedPositions; p++) head[stale[p]] = 0
  }
  hashedPositions = 0
  if (prev.length < n) {
    prev = new Uint16Array(Math.max(n, MIN_CHAIN_ENTRIES))
    hashes = new Uint16Array(prev.length)
  }
  if (n <= SHORT_INPUT_BYTES) return buildShortHashChains(data, n)
  if (n - Level6.MinMatch >= CLEAR_BY_FILL_POSITIONS) return buildLongHashChains(data, view, n)
  const chains = prev
  const hashOf = hashes
  const last = n - Level6.MinMatch
  if (last < 0) return chains
  hashedPositions = last + 1
  // The rolling hash: each step shifts the previous two bytes out of the mask's reach.
  // `head` is read through a local: V8 reloads a module binding from the module context and
  // checks it again at every use, twice per position here.
  const heads = head
  let h = ((data[0] << Level6.HashShift) ^ data[1]) & Level6.HashMask
  for (let p = 0; p <= last; p++) {
    h = ((h << Level6.HashShift) ^ data[p + 2]) & Level6.HashMask
    hashOf[p] = h
    chains[p] = heads[h]
    heads[h] = p
  }
  return chains
}

/**
 * {@link buildHashChains} for an input whose `head` entries the next call clears all at once
 * (more than {@link CLEAR_BY_FILL_POSITIONS} positions): `hashes` is not needed for that, and
 * leaving it out saves about a fifth of the chain building.
 */
function buildLongHashChains(data: Uint8Array, view: DataView, n: number): Uint16Array {
  const chains = prev
  const last = n - Level6.MinMatch
  hashedPositions = last + 1
  const heads = head
  let h = ((data[0] << Level6.HashShift) ^ data[1]) & Level6.HashMask
  // The first (last + 1) % 4 positions one by one, the others four at a time from one 32-bit
  // read (the bytes at p + 2 ... p + 5, in the input since p + 3 <= last): 25-30% of this
  // function's time (~8 KB 13.5 -> 10 us, ~60 KB 94 -> 64 us). The leftover positions come
  // first so that no loop follows the main one (see `head`).
  const first = (last + 1) & 3
  let p = 0
  for (; p < first; p++) {
    h = ((h << Level6.HashShift) ^ data[p + 2]) & Level6.HashMask
    chains[p] = heads[h]
    heads[h] = p
  }
  for (; p <= last; p += 4) {
    const next = view.getInt32(p + 2, true)
    h = ((h << Level6.HashShift) ^ (next & 0xff)) & Level6.HashMask
    chains[p] = heads[h]
    heads[h] = p
    h = ((h << Level6.HashShift) ^ ((next >>> 8) & 0xff)) & Level6.HashMask
    chains[p + 1] = heads[h]
    heads[h] = p + 1
    h = ((h << Level6.HashShift) ^ ((next >>> 16) & 0xff)) & Level6.HashMask
    chains[p + 2] = heads[h]
    heads[h] = p + 2
    h = ((h << Level6.HashShift) ^ (next >>> 24)) & Level6.HashMask
    chains[p + 3] = heads[h]
    heads[h] = p + 3
  }
  return chains
}

/**
 * Up to this many input bytes, `head` is cleared right after the chains are built rather than
 * at the start of the next call: its entries are then still in the cache, while by the next call
 * the rest of the build has evicted them and each of those scattered stores misses (for a token
 * that clearing took a quarter of the deflate's main loop).
 */
const SHORT_INPUT_BYTES = 1024

/**
 * {@link buildHashChains} for an input of at most {@link SHORT_INPUT_BYTES}, leaving `head`
 * empty. A function of its own: its loops are short, so V8 never compiles one alone mid-call
 * (see `head`), and the clearing loop always runs after the building one.
 */
function buildShortHashChains(data: Uint8Array, n: number): Uint16Array {
  const chains = prev
  const hashOf = hashes
  const last = n - Level6.MinMatch
  if (last < 0) return chains
  const heads = head
  let h = ((data[0] << Level6.HashShift) ^ data[1]) & Level6.HashMask
  for (let p = 0; p <= last; p++) {
    h = ((h << Level6.HashShift) ^ data[p + 2]) & Level6.HashMask
    hashOf[p] = h
    chains[p] = heads[h]
    heads[h] = p
  }
  for (let p = 0; p <= last; p++) heads[hashOf[p]] = 0
  return chains
}

/** {@link longestMatch} returns the match start above these bits and the length below. */
export const MATCH_START_SHIFT: number = Level6.MatchStartShift
/** Selects the match length from {@link longestMatch}'s result. */
export const MATCH_LENGTH_MASK = (1 << MATCH_START_SHIFT) - 1

/**
 * zlib's longest_match: walks the hash chain from `candidate` and returns the best match length
 * at `pos` (but not more than `lookahead`). When that beats `prevLength`, the match start (at
 * least 1: position 0 is NIL) is returned too, as `start << MATCH_START_SHIFT | length`; the
 * pair is packed into one int rather than kept in a module variable, which V8 would re-read and
 * check on every access. `view` is a DataView of `data` (same bytes, same offsets).
 *
 * Like zlib, a candidate is only compared in full if it agrees at bestLen - 1, bestLen, 0 and 1,
 * here with two 16-bit reads; then byte 2 agrees too (a chain links equal hashes, and with the
 * first two bytes equal the hash determines the third), so the comparison goes on from byte 3,
 * four bytes at a time. Skipping a candidate that differs within its first bestLen + 1 bytes
 * changes nothing: it cannot beat bestLen.
 *
 * zlib compares up to 258 bytes even past the end of the input (into zeroed window memory) and
 * clips the result to the lookahead afterwards. Comparing only up to the lookahead gives the same
 * result: a match reaching the end of input already reaches `nice`, which ends the search.
 */
export function longestMatch(
  data: Uint8Array,
  view: DataView,
  chains: Uint16Array,
  pos: number,
  lookahead: number,
  candidate: number,
  prevLength: number,
): number {
  let chainLength = prevLength >= Level6.GoodLength ? Level6.MaxChain >> 2 : Level6.MaxChain
  const nice = Level6.NiceLength < lookahead ? Level6.NiceLength : lookahead
  const maxLen = Level6.MaxMatch < lookahead ? Level6.MaxMatch : lookahead
  let bestLen = prevLength
  // The previous match already reaches the end of input: nothing can beat it (deflate_slow
  // then emits that previous match, so which candidate zlib would name does not matter).
  if (bestLen >= maxLen) return maxLen
  const limit = pos > Level6.MaxDist ? pos - Level6.MaxDist : 0
  // bestLen >= MIN_MATCH - 1 = 2 and bestLen < maxLen, so these reads stay inside the input.
  const startPair = view.getUint16(pos, true)
  let endPair = view.getUint16(pos + bestLen - 1, true)
  // Four bytes at len can be compared while len <= lastQuad (then pos + len + 3 < pos + maxLen).
  const lastQuad = maxLen - 4
  let cur = candidate
  let start = 0
  do {
    if (
      view.getUint16(cur + bestLen - 1, true) === endPair &&
      view.getUint16(cur, true) === startPair
    ) {
      let len = Level6.MinMatch
      for (;;) {
        if (len > lastQuad) {
          while (len < maxLen && data[cur + len] === data[pos + len]) len++
          break
        }
        const diff = view.getInt32(cur + len, true) ^ view.getInt32(pos + len, true)
        if (diff !== 0) {
          // Little-endian: the first differing byte holds the lowest set bit of diff.
          len += (31 - Math.clz32(diff & -diff)) >> 3
          break
        }
        len += 4
      }
      if (len > bestLen) {
        start = cur
        bestLen = len
        if (len >= nice) break
        endPair = view.getUint16(pos + len - 1, true)
      }
    }
    cur = chains[cur]
  } while (cur > limit && --chainLength !== 0)
  return (start << Level6.MatchStartShift) | bestLen
}
