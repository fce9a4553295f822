// Base64 is checked against Node's Buffer (RFC 4648 standard alphabet, padded) on random bytes of
// every small length and of lengths past the encoder's 8,192-character slices, and the decoder
// against the canonical-only rule of docs/format.md ("What the verifier accepts").
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeBase64,
  decodeBase64Transient,
  encodeBase64,
  encodeBase64Pure,
} from '../../src/lib/base64.js'

describe('encodeBase64', () => {
  it('matches Buffer for every length from 0 to 200 bytes', () => {
    for (let n = 0; n <= 200; n++) {
      const bytes = randomBytes(n)
      expect(encodeBase64(bytes), `length ${n}`).toBe(bytes.toString('base64'))
      expect(encodeBase64Pure(bytes), `length ${n}`).toBe(bytes.toString('base64'))
    }
  })

  it('encodes views of one buffer by their own bytes, as the pure encoder does', () => {
    // The native path keeps a Buffer over the last memory it encoded from: views at other
    // offsets of the same memory, rewritten memory, and other memory must all come out right.
    const memory = new Uint8Array(4096)
    for (let round = 0; round < 300; round++) {
      memory.set(randomBytes(64), (round * 61) % 4000)
      const start = (round * 37) % 3000
      const view = memory.subarray(start, start + ((round * 13) % 900))
      expect(encodeBase64(view)).toBe(Buffer.from(view).toString('base64'))
      expect(encodeBase64Pure(view)).toBe(Buffer.from(view).toString('base64'))
      if (round % 50 === 0) {
        const other = new Uint8Array(randomBytes(100))
        expect(encodeBase64(other)).toBe(Buffer.from(other).toString('base64'))
      }
    }
  })

  it('encodes from memory that grew after it was first encoded from', () => {
    // Resizable memory (ES2024), typed here by hand for the ES2022 library settings.
    type Resizable = ArrayBuffer & { resize(length: number): void }
    const Growable = ArrayBuffer as unknown as new (
      length: number,
      options: { maxByteLength: number },
    ) => Resizable
    const memory = new Growable(16, { maxByteLength: 1024 })
    const bytes = new Uint8Array(memory)
    bytes.set(randomBytes(16))
    expect(encodeBase64(new Uint8Array(memory, 0, 16))).toBe(Buffer.from(bytes).toString('base64'))
    memory.resize(600)
    const grown = new Uint8Array(memory, 0, 600)
    grown.set(randomBytes(600))
    expect(encodeBase64(new Uint8Array(memory, 100, 500))).toBe(
      Buffer.from(grown.subarray(100)).toString('base64'),
    )
  })

  it('matches Buffer on random data up to 40,000 bytes (several 8,192-character slices)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), (n) => {
        const bytes = randomBytes(n)
        expect(encodeBase64(bytes)).toBe(bytes.toString('base64'))
        expect(encodeBase64Pure(bytes)).toBe(bytes.toString('base64'))
      }),
      { numRuns: 60 },
    )
    for (const n of [6143, 6144, 6145, 12288, 12289]) {
      const bytes = randomBytes(n)
      expect(encodeBase64(bytes), `length ${n}`).toBe(bytes.toString('base64'))
    }
  })

  it('encodes a view by its own bytes, not its underlying buffer', () => {
    const whole = randomBytes(50)
    expect(encodeBase64(whole.subarray(7, 31))).toBe(whole.subarray(7, 31).toString('base64'))
  })
})

describe('decodeBase64', () => {
  it('inverts Buffer encoding for every length from 0 to 200 bytes, from any start offset', () => {
    for (let n = 0; n <= 200; n++) {
      const bytes = randomBytes(n)
      expect(decodeBase64(bytes.toString('base64')), `length ${n}`).toEqual(new Uint8Array(bytes))
      expect(decodeBase64('007' + bytes.toString('base64'), 3), `length ${n}`).toEqual(
        new Uint8Array(bytes),
      )
    }
  })

  it('decodes long tokens (past its 4,096-character buffer) and names a stray character in them', () => {
    for (const n of [3069, 3070, 3072, 3075, 10_000, 60_000]) {
      const bytes = randomBytes(n)
      const text = '007' + bytes.toString('base64')
      expect(decodeBase64(text, 3), `length ${n}`).toEqual(new Uint8Array(bytes))
      const at = 3 + Math.floor((text.length - 3) / 2)
      const stray = text.slice(0, at) + '\u00e9' + text.slice(at + 1)
      expect(decodeBase64(stray, 3), `length ${n}`).toBe(
        `it has a character U+00E9 where no such character may stand (offset ${at})`,
      )
    }
  })

  it('refuses lengths that are not a multiple of 4', () => {
    expect(decodeBase64('QUJD', 0)).toEqual(Uint8Array.of(65, 66, 67))
    expect(decodeBase64('QUJDR')).toMatch(/length \(5\) is not a multiple of 4/)
    expect(decodeBase64('QUI')).toMatch(/length \(3\)/)
  })

  it('refuses characters outside the standard alphabet, naming the character and offset', () => {
    expect(decodeBase64('QU-D')).toMatch(/character '-'.*offset 2/)
    expect(decodeBase64('QU_D')).toMatch(/character '_'/)
    expect(decodeBase64('QU D')).toMatch(/character ' '/)
    expect(decodeBase64('QUJ\u00e9')).toMatch(/U\+00E9/)
    expect(decodeBase64('QUJ\u0141')).toMatch(/U\+0141/)
    expect(decodeBase64('QUJ\u0100')).toMatch(/U\+0100/)
    expect(decodeBase64('Q=JD')).toMatch(/'=' padding/)
    expect(decodeBase64('QUJDRA=A')).toMatch(/'=' padding/)
  })

  it('refuses non-canonical final characters (bits that the padding drops)', () => {
    expect(decodeBase64('QQ==')).toEqual(Uint8Array.of(65))
    expect(decodeBase64('QR==')).toMatch(/not canonical/)
    expect(decodeBase64('QUI=')).toEqual(Uint8Array.of(65, 66))
    expect(decodeBase64('QUJ=')).toMatch(/not canonical/)
  })

  it('accepts exactly the strings Buffer produces (random single-character changes)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 60 }),
        fc.nat(),
        fc.integer({ min: 0, max: 0x17f }),
        (bytes, where, code) => {
          const text = Buffer.from(bytes).toString('base64')
          const p = where % text.length
          const changed = text.slice(0, p) + String.fromCharCode(code) + text.slice(p + 1)
          const result = decodeBase64(changed)
          if (typeof result === 'string') return
          // Whatever is accepted must be canonical: it re-encodes to the very same text.
          expect(Buffer.from(result).toString('base64')).toBe(changed)
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('decodeBase64Transient', () => {
  it('gives what decodeBase64 gives, bytes or reason, on valid, damaged and long texts', () => {
    const texts: Array<[string, number]> = []
    for (let n = 0; n <= 120; n++) {
      const body = randomBytes(n).toString('base64')
      texts.push([body, 0], ['007' + body, 3])
      for (let k = 0; k < 3 && body.length > 0; k++) {
        const p = Math.floor(Math.random() * body.length)
        const code = [0x2d, 0x3d, 0x41, 0x5f, 0xe9, 0x141][Math.floor(Math.random() * 6)]
        texts.push(['007' + body.slice(0, p) + String.fromCharCode(code) + body.slice(p + 1), 3])
      }
      texts.push(['007' + body.slice(1), 3])
    }
    for (const n of [3069, 3070, 3072, 3075, 10_000])
      texts.push(['007' + randomBytes(n).toString('base64'), 3])
    for (const [text, start] of texts) {
      const expected = decodeBase64(text, start)
      const got = decodeBase64Transient(text, start)
      if (typeof expected === 'string') expect(got, text).toBe(expected)
      else expect(new Uint8Array(got as Uint8Array), text).toEqual(new Uint8Array(expected))
    }
  })

  it('reuses its buffer: the next call may overwrite the bytes', () => {
    const first = decodeBase64Transient('007QUJD', 3) as Uint8Array
    expect([...first]).toEqual([65, 66, 67])
    decodeBase64Transient('007REVG', 3)
    expect([...first]).toEqual([68, 69, 70])
  })
})
