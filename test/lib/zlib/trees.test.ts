// The dynamic Huffman trees (src/lib/zlib/trees.ts) against pako with legacyHash (C zlib 1.2.13
// at its defaults), on payloads made to reach the parts of trees.c that ordinary text seldom
// reaches: many symbols of equal frequency (ties in the heap, decided by its exact order), deep
// lopsided trees, code lengths beyond 7 bits in the bit-length tree (gen_bitlen's overflow
// fix-up, which is the same for the 15-bit limit of the other trees: data whose matches leave
// codes beyond 15 bits is hard to make, as skewed literals turn into matches), and runs of equal
// code lengths and of zero lengths of every size (scan_tree's run codes).
//
// The symbols of a payload are shuffled so that few matches form and the literals' frequencies
// stay as drawn. Everything is seeded; ZLIB_CORPUS_SCALE (default 0.1, 1 in
// `npm run test:zlib-long`) scales the counts.
import { describe, expect, it } from 'vitest'
import { deflateZlibTransient } from '../../../src/lib/zlib.js'
import { hex, referenceDeflate, Rng, sameBytes } from '../../helpers/zlib-corpus.js'

const SCALE = Number(process.env.ZLIB_CORPUS_SCALE ?? 0.1)
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE))

/** The bytes `counts[b]` times each, in a random order. */
function shuffled(rng: Rng, counts: readonly number[]): Uint8Array {
  const out: number[] = []
  counts.forEach((count, byte) => {
    for (let k = 0; k < count; k++) out.push(byte)
  })
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const t = out[i]
    out[i] = out[j]
    out[j] = t
  }
  return Uint8Array.from(out)
}

/** Checks `count` payloads of `make` against pako; the first few differences. */
function mismatches(seed: number, count: number, make: (rng: Rng) => Uint8Array): string[] {
  const rng = new Rng(seed)
  const failures: string[] = []
  for (let i = 0; i < count && failures.length < 5; i++) {
    const payload = make(rng)
    if (!sameBytes(deflateZlibTransient(payload), referenceDeflate(payload)))
      failures.push(`payload (${payload.length} bytes) ${hex(payload.subarray(0, 400))}…`)
  }
  return failures
}

describe('dynamic trees are byte-identical to C zlib (pako legacyHash)', () => {
  it(`on ${scaled(20_000)} payloads of many equally frequent symbols (heap ties)`, () => {
    const failures = mismatches(0x7ee50001, scaled(20_000), (rng) => {
      const counts = new Array<number>(256).fill(0)
      // A few frequency classes, each shared by many bytes.
      const classes = Array.from({ length: rng.range(1, 4) }, () => rng.range(1, 6))
      for (let k = rng.range(2, 256); k > 0; k--) counts[rng.int(256)] = rng.pick(classes)
      return shuffled(rng, counts)
    })
    expect(failures).toEqual([])
  })

  it(`on ${scaled(2_000)} payloads of Fibonacci-like frequencies (deep, lopsided trees)`, () => {
    const failures = mismatches(0x7ee50002, scaled(2_000), (rng) => {
      const counts = new Array<number>(256).fill(0)
      // Frequencies growing about as the Fibonacci numbers make the deepest trees; ties and
      // a little noise vary the shapes.
      const ratio = 1.45 + rng.next() / 4294967296 / 4
      let f = 1
      const symbols = rng.range(18, 40)
      for (let k = 0; k < symbols; k++) {
        counts[rng.int(256)] += Math.min(Math.round(f), 4_000) + (rng.chance(0.3) ? rng.int(3) : 0)
        if (rng.chance(0.8)) f *= ratio
      }
      return shuffled(rng, counts)
    })
    expect(failures).toEqual([])
  })

  it(`on ${scaled(20_000)} payloads with runs of equal code lengths and of zeros of every size`, () => {
    const failures = mismatches(0x7ee50003, scaled(20_000), (rng) => {
      const counts = new Array<number>(256).fill(0)
      // Stretches of consecutive byte values with one frequency each (equal lengths), between
      // gaps of unused values (zero lengths) from 0 to past 138.
      for (let b = rng.int(40); b < 256; ) {
        const stretch = rng.pick([1, 2, 3, rng.range(1, 30)])
        const f = rng.pick([1, 2, 3, rng.range(1, 40)])
        for (let k = 0; k < stretch && b < 256; k++) counts[b++] = f
        b += rng.pick([0, 1, 2, 3, rng.range(0, 12), rng.range(0, 160)])
      }
      return shuffled(rng, counts)
    })
    expect(failures).toEqual([])
  })

  it(`on ${scaled(5_000)} payloads whose bit-length codes exceed 7 bits (gen_bitlen's overflow)`, () => {
    const failures = mismatches(0x7ee50004, scaled(5_000), (rng) => {
      const counts = new Array<number>(256).fill(0)
      // Frequencies spread log-uniformly over many scales: code lengths of many sizes occur, with
      // very different counts, so that the bit-length tree itself gets deep.
      const range = Math.log(rng.range(10, 3_000))
      const used = rng.next() / 4294967296
      for (let b = 0; b < 256; b++) {
        if (rng.chance(used)) counts[b] = Math.round(Math.exp((rng.next() / 4294967296) * range))
      }
      return shuffled(rng, counts)
    })
    expect(failures).toEqual([])
  })
})
