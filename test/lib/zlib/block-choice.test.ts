// The block-type decision made without trees (block-choice.ts, huffman-bound.ts) against the
// exact one: zlib's trees built as trees.c builds them (trees.ts, itself checked byte for byte
// against pako legacyHash by the other zlib tests) and _tr_flush_block's comparison. For every
// block the bound must not exceed zlib's opt_len, and a block type it decides must be zlib's.
//
// Blocks are symbol counts, not streams, so that many of them land near the decision boundary:
// the literals of token-shaped payloads (signature, hex ids, UUIDs, small integers) with random
// matches, and random counts of every shape. Seeded; ZLIB_CORPUS_SCALE (default 0.1, 1 in
// `npm run test:zlib-long`) scales the counts.
import { describe, expect, it } from 'vitest'
import {
  chooseBlockType,
  chooseWithoutTrees,
  dynamicBitsAtLeast,
  FIXED,
  fixedBlockBits,
  literalUsedBits,
  UNDECIDED,
  usedLiterals,
  usedLiteralsCount,
} from '../../../src/lib/zlib/block-choice.js'
import { resetBlock } from '../../../src/lib/zlib/blocks.js'
import { buildDynamicTrees, dtree, dynamicBlockBits, ltree } from '../../../src/lib/zlib/trees.js'
import { Rng, tokenLikePayload } from '../../helpers/zlib-corpus.js'

const SCALE = Number(process.env.ZLIB_CORPUS_SCALE ?? 0.1)
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE))

const HEX = '0123456789abcdef'
const encoder = new TextEncoder()

/** A block: literal/length and distance symbol counts, and the bytes it covers. */
interface Block {
  literals: Map<number, number>
  distances: Map<number, number>
  storedLength: number
}

function add(counts: Map<number, number>, symbol: number, n = 1): void {
  counts.set(symbol, (counts.get(symbol) ?? 0) + n)
}

/** Adds `matches` matches of skewed length and distance codes. */
function addMatches(rng: Rng, block: Block, matches: number): void {
  for (let i = 0; i < matches; i++) {
    const lengthCode = rng.chance(0.7) ? rng.range(257, 262) : rng.range(257, 285)
    add(block.literals, lengthCode)
    add(block.distances, rng.chance(0.5) ? rng.range(0, 29) : rng.range(8, 20))
    block.storedLength += 3 + rng.int(8)
  }
}

/** The literals of a token-shaped payload (as if no match was found), plus a few matches. */
function tokenBlock(rng: Rng): Block {
  const parts: Uint8Array[] = [tokenLikePayload(rng)]
  const id = () => {
    let s = ''
    for (let i = 0; i < 32; i++) s += HEX[rng.int(16)]
    return rng.chance(0.5)
      ? `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
      : s
  }
  for (let n = rng.int(4); n > 0; n--) parts.push(encoder.encode(id()))
  if (rng.chance(0.3))
    parts.push(encoder.encode(`${id().slice(0, 8)}.${id().slice(0, 6)}@example.com`))
  const block: Block = { literals: new Map(), distances: new Map(), storedLength: 0 }
  for (const part of parts) {
    for (const byte of part) if (rng.chance(0.97)) add(block.literals, byte)
    block.storedLength += part.length
  }
  addMatches(rng, block, rng.int(rng.chance(0.5) ? 4 : 20))
  return block
}

/** Random counts: a few to ~200 symbols, in clusters or scattered, counts of several shapes. */
function randomBlock(rng: Rng): Block {
  const block: Block = { literals: new Map(), distances: new Map(), storedLength: 0 }
  const distinct = rng.range(1, rng.pick([8, 40, 90, 200]))
  const shape = rng.int(4)
  const count = () => {
    switch (shape) {
      case 0:
        return rng.range(1, 3)
      case 1:
        return rng.range(1, 10)
      case 2: {
        let f = 1
        while (rng.chance(0.6)) f++
        return f
      }
      default:
        return rng.chance(0.9) ? rng.range(1, 6) : rng.range(20, 700)
    }
  }
  let symbol = rng.int(256)
  for (let i = 0; i < distinct; i++) {
    symbol = rng.chance(0.6) ? (symbol + 1) & 0xff : rng.int(256)
    const f = count()
    add(block.literals, symbol, f)
    block.storedLength += f
  }
  addMatches(rng, block, rng.int(rng.pick([1, 5, 30])))
  if (rng.chance(0.1)) block.storedLength = rng.int(block.storedLength + 1)
  return block
}

/** Sets up the block as the compressor leaves it for flushBlock. */
function load(block: Block): void {
  resetBlock()
  for (const [symbol, n] of block.literals) {
    ltree.freq[symbol] += n
    literalUsedBits[symbol >>> 5] |= 1 << (symbol & 31)
  }
  for (const [code, n] of block.distances) dtree.freq[code] += n
}

interface Tally {
  blocks: number
  decided: number
  fixed: number
  bounded: number
  nearBoundary: number
}

/** Checks the bound and the decision on one block against zlib's trees. */
function check(block: Block, tally: Tally, failures: string[]): void {
  load(block)
  const decided = chooseWithoutTrees(block.storedLength)
  const bound = dynamicBitsAtLeast()
  buildDynamicTrees(usedLiterals, usedLiteralsCount())
  const optLen = dynamicBlockBits()
  const exact = chooseBlockType(block.storedLength, optLen, fixedBlockBits())
  tally.blocks++
  if (exact === FIXED) tally.fixed++
  if (bound >= 0) tally.bounded++
  if (Math.abs(optLen - fixedBlockBits()) <= 16) tally.nearBoundary++
  if (decided !== UNDECIDED) tally.decided++
  if ((bound >= 0 && bound > optLen) || (decided !== UNDECIDED && decided !== exact)) {
    if (failures.length < 5)
      failures.push(
        `bound ${bound} opt_len ${optLen} fixed ${fixedBlockBits()} stored ${block.storedLength}: decided ${decided}, zlib ${exact}; literals ${JSON.stringify([...block.literals])} distances ${JSON.stringify([...block.distances])}`,
      )
  }
  resetBlock()
}

describe('the block type decided without trees is zlib’s', () => {
  it(`on ${scaled(100_000)} blocks of token-shaped literals and matches`, () => {
    const rng = new Rng(0xb10c)
    const tally: Tally = { blocks: 0, decided: 0, fixed: 0, bounded: 0, nearBoundary: 0 }
    const failures: string[] = []
    for (let i = 0; i < scaled(100_000); i++) check(tokenBlock(rng), tally, failures)
    expect(failures).toEqual([])
    // The fast path is taken: most token-sized blocks are coded fixed and decided by the bound.
    expect(tally.decided).toBeGreaterThan(0.4 * tally.fixed)
    expect(tally.nearBoundary).toBeGreaterThan(0.005 * tally.blocks)
  })

  it(`on ${scaled(200_000)} blocks of random counts (clusters, skewed and large counts, stored)`, () => {
    const rng = new Rng(0xc0de)
    const tally: Tally = { blocks: 0, decided: 0, fixed: 0, bounded: 0, nearBoundary: 0 }
    const failures: string[] = []
    for (let i = 0; i < scaled(200_000); i++) check(randomBlock(rng), tally, failures)
    expect(failures).toEqual([])
    expect(tally.decided).toBeGreaterThan(0.3 * tally.blocks)
    expect(tally.nearBoundary).toBeGreaterThan(0.01 * tally.blocks)
  })
})
