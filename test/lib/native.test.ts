// The runtime's base64 decoder (node:buffer, found through process.getBuiltinModule) must take
// exactly the decisions of the pure canonical-only decoder, and give the same bytes: checked on
// canonical texts of random bytes and on texts with every kind of defect the pure decoder names
// (characters outside the alphabet, URL-safe characters, whitespace, misplaced or missing
// padding, non-zero bits in the last character, non-ASCII characters, wrong lengths).
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBase64 } from '../../src/lib/base64.js'
import { decodeBase64Natively, nativeCrypto } from '../../src/lib/native.js'

/** What each decoder makes of `text` from `start`: the bytes as hex, or 'refused'. */
function outcomes(text: string, start: number) {
  const pure = decodeBase64(text, start)
  const native = decodeBase64Natively(text, start)
  return {
    pure: typeof pure === 'string' ? 'refused' : Buffer.from(pure).toString('hex'),
    native: native === undefined ? 'refused' : Buffer.from(native).toString('hex'),
  }
}

function expectSameDecision(text: string, start: number): void {
  const { pure, native } = outcomes(text, start)
  expect(native, JSON.stringify(text.slice(0, 80))).toBe(pure)
}

describe('decodeBase64Natively', () => {
  it('is found in Node and decodes canonical base64 as the pure decoder does', () => {
    expect(nativeCrypto()).not.toBeNull()
    for (let n = 0; n <= 70; n++) {
      const bytes = randomBytes(n)
      const text = `007${bytes.toString('base64')}`
      const decoded = decodeBase64Natively(text, 3)
      expect(decoded && Buffer.from(decoded).toString('hex'), `length ${n}`).toBe(
        bytes.toString('hex'),
      )
      expectSameDecision(text, 3)
    }
  })

  it('refuses what the pure decoder refuses', () => {
    const valid = randomBytes(42).toString('base64') // 56 characters, no padding
    const padded1 = randomBytes(41).toString('base64') // ends in one '='
    const padded2 = `${valid.slice(0, -4)}QR==` // non-zero bits in the last character
    const cases = [
      valid.slice(1),
      `${valid}=`,
      `${valid}====`,
      padded1.replace(/=$/, ''),
      padded1.replace(/.=$/, 'B='), // 'B' has a non-zero low bit: not canonical
      padded2,
      `${valid.slice(0, -4)}AB==`,
      `${valid.slice(0, 10)}\n${valid.slice(11)}`,
      `${valid.slice(0, 10)} ${valid.slice(11)}`,
      `${valid.slice(0, 10)}-${valid.slice(11)}`,
      `${valid.slice(0, 10)}_${valid.slice(11)}`,
      `${valid.slice(0, 10)}=${valid.slice(11)}`,
      `${valid.slice(0, 10)}é${valid.slice(11)}`,
      `${valid.slice(0, 10)}\u0141${valid.slice(11)}`,
      `${valid.slice(0, 10)}\ud83d${valid.slice(11)}`,
      `${valid.slice(0, 52)}=AAA`,
      '====',
      'A===',
    ]
    for (const text of cases) {
      expect(decodeBase64(`007${text}`, 3), text).toBeTypeOf('string')
      expect(decodeBase64Natively(`007${text}`, 3), text).toBeUndefined()
    }
  })

  it('decides as the pure decoder on random texts and single-character changes of valid ones', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    const odd = ['=', '-', '_', ' ', '\n', '\t', '.', 'é', '\u0100', '\ud800', '\0', '\u007f']
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(),
        fc.constantFrom(...alphabet, ...odd, ''),
        fc.constantFrom('replace', 'insert', 'delete', 'none'),
        (bytes, at, char, edit) => {
          const valid = Buffer.from(bytes).toString('base64')
          const i = valid.length === 0 ? 0 : at % valid.length
          const text =
            edit === 'replace'
              ? valid.slice(0, i) + char + valid.slice(i + 1)
              : edit === 'insert'
                ? valid.slice(0, i) + char + valid.slice(i)
                : edit === 'delete'
                  ? valid.slice(0, i) + valid.slice(i + 1)
                  : valid
          expectSameDecision(`007${text}`, 3)
          expectSameDecision(text, 0)
        },
      ),
      { numRuns: 5000 },
    )
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...alphabet, ...odd), maxLength: 40 }),
        (text) => {
          expectSameDecision(text, 0)
        },
      ),
      { numRuns: 5000 },
    )
  })
})
