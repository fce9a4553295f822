// How text from a token is shown in messages: quoted, unsafe characters escaped, long text cut.
import { describe, expect, it } from 'vitest'
import { quote, safeMessage, safeText } from '../../src/diagnose/escape.js'

describe('escape', () => {
  it('escapes C0 and C1 controls, DEL, bidi and zero-width characters, separators and the BOM', () => {
    const unsafe = [
      0x00, 0x07, 0x0a, 0x1b, 0x7f, 0x85, 0x9f, 0x61c, 0x200b, 0x200e, 0x2028, 0x202e, 0x2066,
      0x2069, 0xfeff,
    ]
    for (const code of unsafe) {
      const char = String.fromCharCode(code)
      expect(safeText(`a${char}b`)).toBe(`a\\u${code.toString(16).padStart(4, '0')}b`)
    }
    expect(safeText('plain ASCII, accents é, CJK 频道, emoji 🎉')).toBe(
      'plain ASCII, accents é, CJK 频道, emoji 🎉',
    )
  })

  it('escapes lone surrogates but keeps pairs whole', () => {
    expect(safeText('a\ud800b')).toBe('a\\ud800b')
    expect(safeText('a\udc00b')).toBe('a\\udc00b')
    expect(safeText('\ud83c\udf89')).toBe('🎉')
  })

  it('quotes, escaping quotes and backslashes so that the quoted text cannot be closed early', () => {
    expect(quote('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"')
    expect(quote('')).toBe('""')
  })

  it('cuts long text at 80 characters, never inside a surrogate pair', () => {
    expect(quote('x'.repeat(200))).toBe(`"${'x'.repeat(80)}…"`)
    const emoji = `${'x'.repeat(79)}🎉tail`
    expect(safeText(emoji)).toBe(`${'x'.repeat(79)}…`)
  })

  it('leaves a message readable: only unsafe characters change', () => {
    expect(safeMessage('token starts with "gar"\u202e')).toBe('token starts with "gar"\\u202e')
  })
})
