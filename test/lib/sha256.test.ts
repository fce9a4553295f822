// SHA-256 is checked against the published FIPS 180-2 examples and, differentially, against
// node:crypto on every message length around the block and padding boundaries and on random data;
// the generated, unrolled compress against the table-driven reference it is generated from.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateCompress } from '../../scripts/generate-sha256.mjs'
import { K, compressReference } from '../../scripts/sha256-reference.js'
import { SHA256_IV, compress, finish, sha256, writeDigest } from '../../src/lib/sha256.js'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const ascii = (text: string) => new TextEncoder().encode(text)

describe('sha256', () => {
  it('matches the FIPS 180-2 example digests', () => {
    expect(hex(sha256(ascii('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
    expect(hex(sha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
    expect(hex(sha256(new Uint8Array(0)))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
  })

  it('matches node:crypto for every length from 0 to 300 bytes (all padding cases)', () => {
    for (let n = 0; n <= 300; n++) {
      const message = randomBytes(n)
      expect(hex(sha256(message)), `length ${n}`).toBe(nodeSha256(message))
    }
  })

  it('matches node:crypto on random messages up to 5,000 bytes, including all-0xff bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.boolean(), (message, ones) => {
        if (ones) message.fill(0xff)
        expect(hex(sha256(message))).toBe(nodeSha256(message))
      }),
      { numRuns: 300 },
    )
  })
})

describe('finish', () => {
  it('continues a message whose first blocks were compressed directly, and hashes a sub-range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(20),
        fc.nat(20),
        (prefixBlocks, tail, before, after) => {
          const prefix = randomBytes(64 * prefixBlocks)
          const state = SHA256_IV.slice()
          const block = new Int32Array(16)
          for (let b = 0; b < prefixBlocks; b++) {
            for (let i = 0; i < 16; i++) block[i] = prefix.readInt32BE(64 * b + 4 * i)
            compress(state, block)
          }
          // The tail sits inside a larger buffer: only bytes [before, before + length) count.
          const framed = new Uint8Array(before + tail.length + after).fill(0xa5)
          framed.set(tail, before)
          finish(state, framed, before, before + tail.length, prefix.length)
          const out = new Uint8Array(40).fill(7)
          writeDigest(state, out, 4)
          expect(hex(out.subarray(4, 36))).toBe(nodeSha256(Buffer.concat([prefix, tail])))
          expect([...out.subarray(0, 4), ...out.subarray(36)]).toEqual([7, 7, 7, 7, 7, 7, 7, 7])
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('the unrolled compress and its table-driven reference', () => {
  it('agree on 5,000 arbitrary states and blocks (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), {
          minLength: 24,
          maxLength: 24,
        }),
        (words) => {
          const block = Int32Array.from(words.slice(0, 16))
          const ours = Int32Array.from(words.slice(16))
          const reference = ours.slice()
          compress(ours, block)
          compressReference(reference, block)
          expect(Array.from(ours)).toEqual(Array.from(reference))
        },
      ),
      { numRuns: 5000, seed: 0x5ea256 },
    )
  })

  it('the reference alone gives the FIPS 180-2 digest of "abc"', () => {
    const state = SHA256_IV.slice()
    const block = new Int32Array(16)
    block[0] = 0x61626380 // 'abc' and the end marker
    block[15] = 24 // the message length in bits
    compressReference(state, block)
    const out = new Uint8Array(32)
    writeDigest(state, out, 0)
    expect(hex(out)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('src/lib/sha256-compress.ts is exactly what scripts/generate-sha256.mjs writes', () => {
    const committed = readFileSync(
      fileURLToPath(new URL('../../src/lib/sha256-compress.ts', import.meta.url)),
      'utf8',
    )
    expect(generateCompress(K)).toBe(committed)
  })
})
