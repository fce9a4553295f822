// The keeper reader's small inflater against the library's (src/lib/zlib/inflate.ts), which is
// itself held to zlib's verdicts by test/lib/zlib.test.ts: the same bytes, "malformed" or "too
// large" for pako streams of every setting, damaged streams and hand-built ones, under output caps
// from 0 bytes up (so that "too large" is reached at every point of a stream).
import { describe, expect, it } from 'vitest'
import { inflate } from '../../../src/client/decode/inflate.js'
import { inflateZlib } from '../../helpers/zlib.js'
import {
  Rng,
  type Verdict,
  corruptStream,
  craftedStream,
  describe as describeVerdict,
  hex,
  pakoVariantStream,
  randomPayload,
  sameVerdict,
} from '../../helpers/zlib-corpus.js'

const STREAMS = Number(process.env.CLIENT_INFLATE_STREAMS ?? 3000)
const SEED = Number(process.env.CLIENT_DECODE_SEED ?? 20261202)

function verdict(run: () => Uint8Array): Verdict {
  try {
    return { kind: 'ok', bytes: run() }
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'ERR_TOKEN_TOO_LARGE') return { kind: 'too-large' }
    if (code === 'ERR_TOKEN_MALFORMED') return { kind: 'malformed' }
    throw error
  }
}

/** A cap around the stream's output size, or anywhere below it, or far above. */
function capFor(rng: Rng, size: number): number {
  switch (rng.int(4)) {
    case 0:
      return Math.max(0, size + rng.range(-2, 2))
    case 1:
      return rng.int(size + 1)
    default:
      return 131_072
  }
}

/** Inflates `stream` with both inflaters and returns their verdicts. */
function both(stream: Uint8Array, cap: number): [Verdict, Verdict] {
  return [verdict(() => inflateZlib(stream, cap)), verdict(() => inflate(stream, cap))]
}

describe('the keeper reader inflater', () => {
  it(`gives the library inflater's verdict on ${STREAMS} streams of every kind`, () => {
    const rng = new Rng(SEED)
    const counts: Record<string, number> = {}
    for (let i = 0; i < STREAMS; i++) {
      const payload = randomPayload(rng, rng.chance(0.1) ? 70_000 : 3000)
      let stream: Uint8Array
      switch (rng.int(4)) {
        case 0:
          stream = pakoVariantStream(rng, payload)
          break
        case 1:
          stream = craftedStream(rng)
          break
        default:
          stream = corruptStream(rng, pakoVariantStream(rng, payload))
      }
      const cap = capFor(rng, payload.length)
      const [library, reader] = both(stream, cap)
      if (!sameVerdict(library, reader)) {
        throw new Error(
          `stream ${i} (cap ${cap}): library ${describeVerdict(library)}, reader ${describeVerdict(reader)}\n${hex(stream)}`,
        )
      }
      counts[library.kind] = (counts[library.kind] ?? 0) + 1
    }
    expect(Object.keys(counts).sort()).toEqual(['malformed', 'ok', 'too-large'])
    if (STREAMS > 10_000) console.log(`client inflater differential, ${STREAMS} streams:`, counts)
  })

  it('refuses what is not one zlib stream', () => {
    for (const bytes of [[], [0x78], [0x78, 0x9c], [0x1f, 0x8b, 8, 0], [0x78, 0xbb, 3, 0]]) {
      const stream = Uint8Array.from(bytes)
      expect(both(stream, 100).map((v) => v.kind)).toEqual(['malformed', 'malformed'])
    }
  })

  it('inflates the empty stream, and refuses its output at cap 0 only when there is some', () => {
    const empty = Uint8Array.from([0x78, 0x9c, 3, 0, 0, 0, 0, 1])
    expect(inflate(empty, 0)).toEqual(new Uint8Array(0))
    const one = Uint8Array.from([0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1])
    expect(inflate(one, 1)).toEqual(Uint8Array.from([0]))
    expect(both(one, 0).map((v) => v.kind)).toEqual(['too-large', 'too-large'])
  })
})
