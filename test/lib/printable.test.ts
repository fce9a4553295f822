// quoteText: untrusted text made safe for an error message or a terminal.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { QUOTED_TEXT_MAX, quoteText, showText } from '../../src/lib/printable.js'

describe('quoteText', () => {
  it('quotes plain text and escapes quotes and backslashes', () => {
    expect(quoteText('room-1')).toBe('"room-1"')
    expect(quoteText('a"b\\c')).toBe('"a\\"b\\\\c"')
  })

  it('escapes control characters, bidi controls, separators and lone surrogates', () => {
    expect(quoteText('a\u001b[2Jb\r\nc')).toBe('"a\\u001b[2Jb\\u000d\\u000ac"')
    expect(quoteText('\u0085\u009b\u007f')).toBe('"\\u0085\\u009b\\u007f"')
    expect(quoteText('x\u202ey\u2066z\u200f\u061c')).toBe('"x\\u202ey\\u2066z\\u200f\\u061c"')
    expect(quoteText('\u2028\u2029\ufeff')).toBe('"\\u2028\\u2029\\ufeff"')
    expect(quoteText('\ud800x\udc00')).toBe('"\\ud800x\\udc00"')
    // A real pair and other non-ASCII text stay readable.
    expect(quoteText('é😀')).toBe('"é😀"')
  })

  it('cuts long text, never inside a surrogate pair, and says how long it was', () => {
    expect(quoteText('a'.repeat(100))).toBe(`"${'a'.repeat(QUOTED_TEXT_MAX)}"…(100 characters)`)
    expect(quoteText(`${'a'.repeat(9)}😀b`, 10)).toBe(`"${'a'.repeat(9)}"…(12 characters)`)
  })

  it('never lets a control, bidi or lone-surrogate character through, and is bounded', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const quoted = quoteText(text)
        expect(quoted).not.toMatch(
          /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/,
        )
        expect(quoted).not.toMatch(
          /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
        )
        // 6 characters per escaped unit at most, plus quotes and the length note.
        expect(quoted.length).toBeLessThanOrEqual(6 * QUOTED_TEXT_MAX + 40)
      }),
      { numRuns: 500 },
    )
  })
})

describe('showText', () => {
  it('shows a plain identifier as is and quotes anything else', () => {
    expect(showText('970ca35de60c44645bbae8a215061b33')).toBe('970ca35de60c44645bbae8a215061b33')
    expect(showText('a b')).toBe('"a b"')
    expect(showText('x\u001b')).toBe('"x\\u001b"')
    expect(showText('')).toBe('""')
    expect(showText('a'.repeat(65))).toBe(`"${'a'.repeat(64)}"…(65 characters)`)
  })
})
