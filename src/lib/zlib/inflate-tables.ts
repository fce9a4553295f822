// Huffman decoding tables for the inflater, built under zlib's rules for which codes are
// valid (inftrees.c), and the fixed codes of RFC 1951 §3.2.6.
import { reverseBits } from './tables.js'

const MAX_CODE_BITS = 15

// ---------------------------------------------------------------------------------------------
// Decoding tables.
//
// A table is indexed by the next input bits (LSB first, so Huffman codes appear bit-reversed).
// Entry layout (Int32):
//   leaf:    symbol << 8 | code length            (length 1..15 in bits 0-3, bit 4 clear)
//   link:    offset << 8 | LINK | sub-table bits  (second lookup at entries[offset + next bits])
//   invalid: INVALID_SYMBOL << 8                  (a code that is not part of the code: the
//                                                  symbol is out of every alphabet, so the
//                                                  symbol range checks reject it, at no cost)

/** Marks a link entry (see the layout above). */
export const LINK = 16
/** A symbol number outside every alphabet, for codes that are not part of the code. */
export const INVALID_SYMBOL = 511
/** The entry of an invalid code. */
export const INVALID = INVALID_SYMBOL << 8

/** Which alphabet a code belongs to: zlib applies different rules to each (inftrees.c). */
export enum CodeKind {
  CodeLengths,
  LiteralLengths,
  Distances,
}

/**
 * The symbols of a code that have a code length (a nonzero one), in increasing symbol order,
 * with the number of codes of each length. A dynamic block's reader collects its codes in this
 * form as it decodes them, so that building a table needs no pass over the unused symbols of the
 * 286-symbol alphabet (most of them in a token's block).
 */
export class CodeList {
  readonly symbols: Uint16Array
  readonly lengths: Uint8Array
  /** countOfLength[len]: how many codes have length `len` (1..15). */
  readonly countOfLength = new Int32Array(MAX_CODE_BITS + 1)
  size = 0

  constructor(capacity: number) {
    this.symbols = new Uint16Array(capacity)
    this.lengths = new Uint8Array(capacity)
  }

  clear(): void {
    this.size = 0
    for (let len = 1; len <= MAX_CODE_BITS; len++) this.countOfLength[len] = 0
  }

  /** Adds a code of `length` (1..15) for `symbol`, which is above every symbol added so far. */
  add(symbol: number, length: number): void {
    this.symbols[this.size] = symbol
    this.lengths[this.size++] = length
    this.countOfLength[length]++
  }
}

// Scratch shared by every table build.
const offsetOfLength = new Int32Array(MAX_CODE_BITS + 2)
const nextCode = new Int32Array(MAX_CODE_BITS + 1)
const sortedSymbols = new Uint16Array(288)
const sortedLengths = new Uint8Array(288)
const sortedCodes = new Uint16Array(288)
const lengthsList = new CodeList(288)

/** A Huffman decoding table: a root table of 2^rootBits entries followed by sub-tables. */
export class DecodeTable {
  entries: Int32Array
  rootBits = 0

  constructor(size: number) {
    this.entries = new Int32Array(size)
  }

  /**
   * Builds the table for the canonical code (RFC 1951 §3.2.2) with code lengths
   * `lens[start, start + count)` (0: no code), applying zlib's completeness rules for `kind`.
   *
   * @returns false when zlib would reject these lengths
   */
  build(lens: Uint8Array, start: number, count: number, maxRoot: number, kind: CodeKind): boolean {
    const list = lengthsList
    list.clear()
    for (let sym = 0; sym < count; sym++) {
      const len = lens[start + sym]
      if (len !== 0) list.add(sym, len)
    }
    return this.buildFromList(list, maxRoot, kind)
  }

  /**
   * Builds the table for the canonical code made of the codes in `list`, applying zlib's
   * completeness rules for `kind`.
   *
   * @returns false when zlib would reject these lengths
   */
  buildFromList(list: CodeList, maxRoot: number, kind: CodeKind): boolean {
    const countOfLength = list.countOfLength
    let maxLen = MAX_CODE_BITS
    while (maxLen > 0 && countOfLength[maxLen] === 0) maxLen--
    if (maxLen === 0) {
      // No codes at all. zlib builds a table that rejects every input; for the code-length
      // code that always ends in "missing end-of-block" (every length reads as 0), so reject
      // now. A distance code may legitimately be empty when a block has no matches.
      if (kind === CodeKind.CodeLengths) return false
      this.rootBits = 1
      this.entries[0] = INVALID
      this.entries[1] = INVALID
      return true
    }
    // Kraft inequality: `unused` counts the code space left at each length.
    let unused = 1
    for (let len = 1; len <= MAX_CODE_BITS; len++) {
      unused = (unused << 1) - countOfLength[len]
      if (unused < 0) return false // over-subscribed
    }
    // zlib accepts one incomplete code: a single code of length 1 (not for code lengths).
    if (unused > 0 && (kind === CodeKind.CodeLengths || maxLen !== 1)) return false

    // Symbols sorted by (length, symbol) get consecutive canonical codes: the list is in symbol
    // order, so placing each at the next free slot of its length sorts it.
    offsetOfLength[1] = 0
    for (let len = 1; len <= MAX_CODE_BITS; len++) {
      offsetOfLength[len + 1] = offsetOfLength[len] + countOfLength[len]
    }
    const total = list.size
    const symbols = list.symbols
    const lengths = list.lengths
    let code = 0
    for (let len = 1; len <= MAX_CODE_BITS; len++) {
      nextCode[len] = code
      code = (code + countOfLength[len]) << 1
    }
    for (let k = 0; k < total; k++) {
      const len = lengths[k]
      const at = offsetOfLength[len]++
      sortedSymbols[at] = symbols[k]
      sortedLengths[at] = len
      sortedCodes[at] = nextCode[len]++
    }

    const rootBits = maxLen < maxRoot ? maxLen : maxRoot
    const rootSize = 1 << rootBits
    let entries = this.entries
    if (unused > 0) entries.fill(INVALID, 0, rootSize)
    this.rootBits = rootBits

    // Codes that fit the root table fill every entry whose low bits are the reversed code.
    let i = 0
    for (; i < total; i++) {
      const len = sortedLengths[i]
      if (len > rootBits) break
      const entry = (sortedSymbols[i] << 8) | len
      for (let j = reverseBits(sortedCodes[i], len); j < rootSize; j += 1 << len) entries[j] = entry
    }

    // Longer codes go to sub-tables, one per distinct root-bit prefix. Canonical codes sharing
    // a prefix are consecutive, and the last of them is the longest, which sizes the sub-table.
    let next = rootSize
    while (i < total) {
      const prefix = sortedCodes[i] >>> (sortedLengths[i] - rootBits)
      let end = i + 1
      while (end < total && sortedCodes[end] >>> (sortedLengths[end] - rootBits) === prefix) end++
      const subBits = sortedLengths[end - 1] - rootBits
      const subSize = 1 << subBits
      if (next + subSize > entries.length) entries = this.grow(next + subSize)
      entries[reverseBits(prefix, rootBits)] = (next << 8) | LINK | subBits
      for (; i < end; i++) {
        const len = sortedLengths[i]
        const entry = (sortedSymbols[i] << 8) | len
        const step = 1 << (len - rootBits)
        for (let j = reverseBits(sortedCodes[i], len) >>> rootBits; j < subSize; j += step) {
          entries[next + j] = entry
        }
      }
      next += subSize
    }
    return true
  }

  private grow(size: number): Int32Array {
    const bigger = new Int32Array(Math.max(size, 2 * this.entries.length))
    bigger.set(this.entries)
    this.entries = bigger
    return bigger
  }
}

/** The decoding tables of the fixed literal/length and distance codes (RFC 1951 §3.2.6). */
export const fixedLiterals = new DecodeTable(1 << 9)
/** See {@link fixedLiterals}. */
export const fixedDistances = new DecodeTable(1 << 5)
{
  // RFC 1951 §3.2.6. Symbols 286/287 and distances 30/31 are part of the fixed codes (so that
  // they are complete) but invalid in the data; the decoding loop rejects them.
  const lens = new Uint8Array(288)
  lens.fill(8, 0, 144)
  lens.fill(9, 144, 256)
  lens.fill(7, 256, 280)
  lens.fill(8, 280, 288)
  fixedLiterals.build(lens, 0, 288, 9, CodeKind.LiteralLengths)
  lens.fill(5, 0, 32)
  fixedDistances.build(lens, 0, 32, 5, CodeKind.Distances)
}
