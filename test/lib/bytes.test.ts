// The packing primitives: UTF-8 encoding (checked against Buffer on ASCII, non-ASCII and
// ill-formed strings on both sides of the short-string fast path), the little-endian writer and
// the bounds-checked reader.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ByteReader,
  ByteWriter,
  LastString,
  allocateBytes,
  asciiBytes,
  equalBytes,
  utf8,
} from '../../src/lib/bytes.js'
import { TokenMalformed } from '../../src/errors.js'

const nodeUtf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'))

describe('utf8', () => {
  it('matches Buffer for ASCII, non-ASCII and lone surrogates, short and long', () => {
    const samples = [
      '',
      'room-1',
      'a'.repeat(64),
      'a'.repeat(65),
      'é',
      'x'.repeat(63) + 'é',
      'x'.repeat(64) + 'é',
      '\u007f\u0080',
      '日本語',
      '😀',
      '\ud800',
      'a\udc00b',
    ]
    for (const text of samples) expect(utf8(text), JSON.stringify(text)).toEqual(nodeUtf8(text))
  })

  it('matches Buffer on random strings of any length and content', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 100 }),
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc.string({ unit: 'grapheme', maxLength: 40 }),
        ),
        (text) => {
          expect(utf8(text)).toEqual(nodeUtf8(text))
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('allocateBytes', () => {
  it('hands out zero-filled arrays of the asked length that never overlap, pooled or not', () => {
    const sizes = [0, 1, 7, 64, 65, 300, 1024, 1025, 5000, 8192, 100, 4000, 4000, 4000]
    const arrays = sizes.map((n, i) => {
      const a = allocateBytes(n)
      expect(a.length).toBe(n)
      expect(a.every((b) => b === 0)).toBe(true)
      a.fill(i + 1)
      return a
    })
    // Filling each with its own value after all were handed out: none shares a byte with another.
    arrays.forEach((a, i) => expect(a.every((b) => b === i + 1)).toBe(true))
  })
})

describe('ByteWriter', () => {
  it('writes little-endian integers and u16-length-prefixed bytes, growing as needed', () => {
    const w = new ByteWriter(2)
    w.u16(0x1234)
      .u32(0x89abcdef)
      .bytes(Uint8Array.of(1, 2, 3))
      .raw(new Uint8Array(300).fill(7))
    const out = w.result()
    expect([...out.subarray(0, 11)]).toEqual([0x34, 0x12, 0xef, 0xcd, 0xab, 0x89, 3, 0, 1, 2, 3])
    expect(out.length).toBe(311)
    expect(out.subarray(11).every((b) => b === 7)).toBe(true)
  })
})

describe('ByteWriter.asciiText', () => {
  /** What the format asks for: a u16 length, then the UTF-8 bytes. */
  const lengthPrefixed = (text: string) => {
    const bytes = nodeUtf8(text)
    return Uint8Array.of(bytes.length & 0xff, bytes.length >> 8, ...bytes)
  }

  it('writes ASCII text as a u16 length and its UTF-8 bytes, growing as needed', () => {
    for (const text of ['', 'room-1', '\u0000\u007f', 'x'.repeat(300), 'y'.repeat(65535)]) {
      const w = new ByteWriter(4)
      expect(w.asciiText(text)).toBe(true)
      expect(w.result()).toEqual(lengthPrefixed(text))
    }
  })

  it('writes nothing and returns false for other text, and the writer goes on correctly', () => {
    for (const text of ['é', 'abc\u0080', 'room-日本', '\ud800', 'z'.repeat(65536)]) {
      const w = new ByteWriter(8).u16(7)
      expect(w.asciiText(text)).toBe(false)
      w.u16(9)
      expect([...w.result()]).toEqual([7, 0, 9, 0])
    }
  })

  it('agrees with utf8 on random strings (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 20 })),
        (text) => {
          const w = new ByteWriter(16).u16(1)
          const written = w.asciiText(text)
          expect(written).toBe(/^[\x00-\x7f]*$/.test(text))
          const expected = written ? [1, 0, ...lengthPrefixed(text)] : [1, 0]
          expect([...w.result()]).toEqual(expected)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('ByteWriter.asciiTexts', () => {
  const lengthPrefixed = (text: string) => {
    const bytes = nodeUtf8(text)
    return [bytes.length & 0xff, bytes.length >> 8, ...bytes]
  }

  it('writes each text as asciiText would when all are ASCII and under 128 characters', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({
            unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
            maxLength: 127,
          }),
          { maxLength: 60 },
        ),
        (texts) => {
          // Ropes, as template literals make them, and flat strings alike.
          const ropes = texts.map((t) => `${t.slice(0, 3)}${t.slice(3)}`)
          const w = new ByteWriter(4).u16(1)
          expect(w.asciiTexts(ropes)).toBe(true)
          w.u16(2)
          expect([...w.result()]).toEqual([1, 0, ...texts.flatMap(lengthPrefixed), 2, 0])
        },
      ),
      { numRuns: 200 },
    )
  })

  it('writes nothing and returns false when a text is not ASCII or has 128+ characters', () => {
    for (const odd of ['é', 'abc\u0080', '\ud800', '日本', 'x'.repeat(128), 'y'.repeat(70000)]) {
      for (const at of [0, 5, 19]) {
        const texts = Array.from({ length: 20 }, (_, i) => `chan-${i}`)
        texts[at] = odd
        const w = new ByteWriter(8).u16(7)
        expect(w.asciiTexts(texts)).toBe(false)
        w.u16(9)
        expect([...w.result()]).toEqual([7, 0, 9, 0])
      }
    }
  })
})

describe('ByteReader', () => {
  it('reads back what ByteWriter wrote', () => {
    const w = new ByteWriter().u16(65535).u32(0xffffffff).u16(0x8000).bytes(utf8('héllo'))
    const r = new ByteReader(w.result())
    expect(r.u16('a')).toBe(65535)
    expect(r.u32('b')).toBe(0xffffffff)
    expect(r.i16('c')).toBe(-32768)
    expect(r.string('d')).toBe('héllo')
    expect(r.remaining).toBe(0)
  })

  it('refuses overruns and invalid UTF-8 with TokenMalformed naming the field', () => {
    expect(() => new ByteReader(Uint8Array.of(1)).u16('count')).toThrow(TokenMalformed)
    expect(() => new ByteReader(Uint8Array.of(5, 0, 1)).bytes('channelName')).toThrow(/channelName/)
    expect(() => new ByteReader(Uint8Array.of(1, 0, 0xff)).string('userId')).toThrow(
      /userId is not valid UTF-8/,
    )
  })

  it('names a field given in parts, joined only for the message', () => {
    const short = () => new ByteReader(Uint8Array.of(1, 2))
    expect(() => short().u32('services[0]', '.privileges.', 'joinChannel')).toThrow(
      /^token payload ends inside services\[0\]\.privileges\.joinChannel \(needs 4 bytes at offset 0, 2 left\)$/,
    )
    expect(short().u16('services[1]', '.', 'role')).toBe(0x0201)
    expect(() => new ByteReader(Uint8Array.of(1)).u16('services[2]', '.type')).toThrow(
      /ends inside services\[2\]\.type /,
    )
    expect(() => new ByteReader(Uint8Array.of(1)).bytes('services[0]', '.', 'channelName')).toThrow(
      /ends inside services\[0\]\.channelName length /,
    )
    expect(() =>
      new ByteReader(Uint8Array.of(3, 0, 0x61)).string('services[0]', '.', 'uid'),
    ).toThrow(/ends inside services\[0\]\.uid \(needs 3 bytes at offset 2, 1 left\)/)
    expect(() =>
      new ByteReader(Uint8Array.of(1, 0, 0xff)).string('services[0]', '.', 'uid'),
    ).toThrow(/^services\[0\]\.uid is not valid UTF-8$/)
  })
})

describe('ByteReader.string on ASCII and UTF-8 mixed', () => {
  const ascii = fc.string({
    unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
    maxLength: 40,
  })
  const text = fc.oneof(
    { weight: 6, arbitrary: ascii },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', 'é', '\u0080', '\u009f', 'x'.repeat(5000), 'ab\u20acc'),
    },
  )
  /** u16-length-prefixed UTF-8 strings back to back, after `skip` filler bytes. */
  function pack(strings: string[], skip: number): Uint8Array {
    const parts = strings.map((s) => new TextEncoder().encode(s))
    const out = new Uint8Array(skip + parts.reduce((n, p) => n + 2 + p.length, 0))
    out.fill(0xe9, 0, skip)
    let o = skip
    for (const p of parts) {
      out[o] = p.length & 0xff
      out[o + 1] = p.length >>> 8
      out.set(p, o + 2)
      o += 2 + p.length
    }
    return out
  }

  it('reads back exactly the strings written', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 400 }), fc.nat({ max: 9 }), (strings, skip) => {
        const r = new ByteReader(pack(strings, skip))
        r.pos = skip
        for (const s of strings) expect(r.string('name')).toBe(s)
        expect(r.remaining).toBe(0)
      }),
      { numRuns: 200 },
    )
  })

  it('reads a view into a larger buffer (a payload inside the inflater buffer)', () => {
    const inner = pack(['lobby', 'chan-'.repeat(1000), 'é'], 0)
    const outer = new Uint8Array(inner.length + 20).fill(0x41)
    outer.set(inner, 10)
    const r = new ByteReader(outer.subarray(10, 10 + inner.length))
    expect([r.string('a'), r.string('b'), r.string('c')]).toEqual([
      'lobby',
      'chan-'.repeat(1000),
      'é',
    ])
  })

  it('refuses invalid UTF-8 after valid strings, naming the field with its index', () => {
    const bytes = Uint8Array.of(2, 0, 0x61, 0x62, 2, 0, 0xc3, 0x28)
    const r = new ByteReader(bytes)
    expect(r.string('a')).toBe('ab')
    expect(() => r.string('list[', 1, ']')).toThrow(
      new TokenMalformed('list[1] is not valid UTF-8'),
    )
  })
})

describe('ByteReader.strings, against ByteReader.string one at a time', () => {
  /** What `count` calls of string() give: the strings and where the reader ends, or the error. */
  function oneByOne(bytes: Uint8Array, skip: number, count: number) {
    const r = new ByteReader(bytes)
    r.pos = skip
    const strings: string[] = []
    try {
      for (let k = 0; k < count; k++) strings.push(r.string('list[', k, ']'))
      return { strings, pos: r.pos }
    } catch (error) {
      return { error }
    }
  }
  function allAtOnce(bytes: Uint8Array, skip: number, count: number) {
    const r = new ByteReader(bytes)
    r.pos = skip
    try {
      return { strings: r.strings(count, 'list'), pos: r.pos }
    } catch (error) {
      return { error }
    }
  }
  const same = (bytes: Uint8Array, skip: number, count: number) => {
    const expected = oneByOne(bytes, skip, count)
    const actual = allAtOnce(bytes, skip, count)
    expect(actual).toEqual(expected)
    if ('error' in expected) {
      expect(actual.error).toBeInstanceOf(TokenMalformed)
      expect((actual.error as Error).message).toBe((expected.error as Error).message)
    }
  }

  /** u16-length-prefixed byte strings back to back, lengths possibly lying. */
  function pack(parts: Uint8Array[], lengthDelta: number[]): Uint8Array {
    const out = new Uint8Array(parts.reduce((n, p) => n + 2 + p.length, 0))
    let o = 0
    parts.forEach((p, i) => {
      const length = Math.max(0, Math.min(0xffff, p.length + (lengthDelta[i] ?? 0)))
      out[o] = length & 0xff
      out[o + 1] = length >>> 8
      out.set(p, o + 2)
      o += 2 + p.length
    })
    return out
  }
  const asciiBytes = fc.uint8Array({ max: 0x7f, maxLength: 40 })
  const anyBytes = fc.uint8Array({ maxLength: 12 })
  const utf8Text = fc
    .string({ unit: 'grapheme', maxLength: 8 })
    .map((s) => new TextEncoder().encode(s))
  const part = fc.oneof(
    { weight: 8, arbitrary: asciiBytes },
    { weight: 1, arbitrary: anyBytes },
    { weight: 1, arbitrary: utf8Text },
    { weight: 1, arbitrary: fc.constant(new Uint8Array(200).fill(0x61)) },
  )

  it('gives the same strings, end position and errors on random runs (ASCII, UTF-8, invalid)', () => {
    fc.assert(
      fc.property(
        fc.array(part, { maxLength: 30 }),
        fc.array(fc.constantFrom(0, 0, 0, 0, 1, -1, 300), { maxLength: 30 }),
        fc.nat({ max: 3 }),
        fc.integer({ min: -2, max: 3 }),
        fc.nat({ max: 5 }),
        (parts, deltas, skip, extraCount, cut) => {
          const packed = pack(parts, deltas)
          const bytes = new Uint8Array(skip + packed.length)
          bytes.fill(0x80, 0, skip)
          bytes.set(packed, skip)
          const count = Math.max(0, parts.length + extraCount)
          same(bytes, skip, count)
          // Cut short, so that a length or a string runs past the end.
          same(bytes.subarray(0, Math.max(skip, bytes.length - cut)), skip, count)
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('reads an all-ASCII run in one piece and falls back for anything else', () => {
    const enc = (...names: string[]) =>
      pack(
        names.map((n) => new TextEncoder().encode(n)),
        [],
      )
    expect(new ByteReader(enc('lobby', '', 'chan-0123456789abcdef')).strings(3, 'l')).toEqual([
      'lobby',
      '',
      'chan-0123456789abcdef',
    ])
    expect(new ByteReader(enc('a', 'é', 'b')).strings(3, 'l')).toEqual(['a', 'é', 'b'])
    // A BOM is kept (as string() keeps it), a name of 128+ bytes has a non-ASCII length byte.
    expect(new ByteReader(enc('\ufeffx', 'y')).strings(2, 'l')).toEqual(['\ufeffx', 'y'])
    const long = 'n'.repeat(300)
    expect(new ByteReader(enc('a', long)).strings(2, 'l')).toEqual(['a', long])
    expect(() =>
      new ByteReader(Uint8Array.of(1, 0, 0x61, 2, 0, 0xc3, 0x28)).strings(2, 'l'),
    ).toThrow(new TokenMalformed('l[1] is not valid UTF-8'))
    expect(() => new ByteReader(Uint8Array.of(1, 0, 0x61, 5, 0, 0x62)).strings(2, 'l')).toThrow(
      /^token payload ends inside l\[1\] \(needs 5 bytes at offset 5, 1 left\)$/,
    )
  })
})

describe('ByteReader.stringOrLast, against ByteReader.string', () => {
  it('gives the same strings and errors, whether the bytes repeat the last string or not', () => {
    const last = new LastString()
    const w = new ByteWriter()
    const samples = [
      '970CA35de60c44645bbae8a215061b33',
      '970CA35de60c44645bbae8a215061b33',
      '970CA35de60c44645bbae8a215061b34',
      '',
      '',
      'é',
      'é',
      'e',
      '970CA35de60c44645bbae8a215061b33',
    ]
    for (const text of samples) w.bytes(utf8(text))
    const bytes = w.result()
    const a = new ByteReader(bytes)
    const b = new ByteReader(bytes)
    for (const text of samples) {
      expect(a.stringOrLast('appId', last)).toBe(text)
      expect(b.string('appId')).toBe(text)
      expect(a.pos).toBe(b.pos)
    }
    // Invalid UTF-8, also right after a valid string of the same length, is refused the same way.
    const bad = new ByteWriter()
      .bytes(Uint8Array.of(0x41, 0x42))
      .bytes(Uint8Array.of(0x41, 0xff))
      .result()
    const r = new ByteReader(bad)
    expect(r.stringOrLast('appId', last)).toBe('AB')
    expect(() => r.stringOrLast('appId', last)).toThrow(TokenMalformed)
    expect(() => r.stringOrLast('appId', last)).toThrow(/appId/)
    expect(() => new ByteReader(bad.subarray(4)).string('appId')).toThrow(
      /appId is not valid UTF-8/,
    )
    expect(() => new ByteReader(bad.subarray(4)).stringOrLast('appId', last)).toThrow(
      /appId is not valid UTF-8/,
    )
  })
})

describe('equalBytes', () => {
  it('is true exactly for equal lengths and contents', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(equalBytes(a, b)).toBe(Buffer.compare(a, b) === 0)
        expect(equalBytes(a, Uint8Array.from(a))).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })
})

describe('asciiBytes', () => {
  it('gives the character codes of a certificate hex text, not its decoded bytes', () => {
    expect(Array.from(asciiBytes('0aF9'))).toEqual([0x30, 0x61, 0x46, 0x39])
    expect(asciiBytes('')).toEqual(new Uint8Array(0))
  })
})
