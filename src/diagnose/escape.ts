// Text from a token is shown to people (terminals, web pages, logs): control characters could
// move the cursor or fake lines, bidi overrides could reorder what is read. Both are written as
// \uXXXX escapes, and long text is cut.

const MAX_SHOWN = 80

// C0 and C1 controls, DEL, the Arabic letter mark, zero-width characters and bidi marks,
// the line and paragraph separators, bidi embeddings and overrides, word joiners and bidi
// isolates, the BOM; lone surrogates are handled apart.
const UNSAFE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x61c, 0x61c],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2069],
  [0xfeff, 0xfeff],
]

function unsafe(code: number): boolean {
  return UNSAFE_RANGES.some(([from, to]) => code >= from && code <= to)
}

function escapeUnit(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`
}

/** Every unsafe character and lone surrogate of `text` as a \uXXXX escape. */
function escapeUnsafe(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + text[i + 1]
        i++
      } else out += escapeUnit(code)
    } else if ((code >= 0xdc00 && code <= 0xdfff) || unsafe(code)) out += escapeUnit(code)
    else out += text[i]
  }
  return out
}

/**
 * Text with every unsafe character escaped, cut to `max` characters (never inside a surrogate
 * pair) with `…` after it.
 */
export function safeText(text: string, max = MAX_SHOWN): string {
  let cut = text
  if (text.length > max) {
    const end = /[\ud800-\udbff]/.test(text[max - 1]) ? max - 1 : max
    cut = `${text.slice(0, end)}…`
  }
  return escapeUnsafe(cut.replace(/\\/g, '\\\\'))
}

/** Text from a token as shown in a message: quoted, with quotes and unsafe characters escaped. */
export function quote(text: string): string {
  return `"${safeText(text).replace(/"/g, '\\"')}"`
}

/** A message from elsewhere (a decode error) with unsafe characters escaped, not cut. */
export function safeMessage(text: string): string {
  return escapeUnsafe(text)
}
