// The legacy format's CRC-32 against node:zlib's (the same IEEE CRC-32 zlib computes).
import { crc32 as zlibCrc32 } from 'node:zlib'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { crc32 } from '../../../src/format/006/crc32.js'

it('gives the IEEE check value for "123456789"', () => {
  expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
})

it('is 0 for the empty input (so a uid "" travels as CRC 0)', () => {
  expect(crc32(new Uint8Array(0))).toBe(0)
})

it('equals zlib.crc32 on random bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      expect(crc32(bytes)).toBe(zlibCrc32(bytes))
    }),
    { numRuns: 500 },
  )
})

it('equals zlib.crc32 on the UTF-8 of random text', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
      const bytes = new TextEncoder().encode(text)
      expect(crc32(bytes)).toBe(zlibCrc32(Buffer.from(text, 'utf8')))
    }),
    { numRuns: 300 },
  )
})
