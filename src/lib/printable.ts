// Untrusted text (a token's app id, a channel name from a request, an argument) shown in an error
// message or on a terminal: quoted, with everything that could forge a log line or repaint a
// terminal escaped, and cut to a bounded length.

/** The most characters of the original text {@link quoteText} shows by default. */
export const QUOTED_TEXT_MAX = 64

/**
 * Characters shown as `\uXXXX`: C0 controls, DEL and C1 controls (ESC, CR, LF, CSI…), the bidi
 * marks, embeddings, overrides and isolates (which reorder what follows them on screen), the
 * line and paragraph separators, the BOM, and lone UTF-16 surrogates (matched by the callers).
 */
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its job
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/**
 * `text` in double quotes, safe to print: `"` and `\` are escaped, control characters, bidi
 * controls and lone surrogates become `\uXXXX` escapes, and text longer than `max` UTF-16 units
 * is cut (never inside a surrogate pair) and marked with `…` and its full length.
 *
 * @example
 * ```ts
 * quoteText('room\u001b[2J') // '"room\\u001b[2J"'
 * ```
 */
export function quoteText(text: string, max = QUOTED_TEXT_MAX): string {
  let shown = text
  let cut = ''
  if (text.length > max) {
    let end = max
    const last = text.charCodeAt(end - 1)
    if (last >= 0xd800 && last <= 0xdbff) end--
    shown = text.slice(0, end)
    cut = `…(${text.length} characters)`
  }
  const escaped = shown
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return `"${escaped}"${cut}`
}

const PLAIN = /^[0-9A-Za-z_.:@-]+$/

/**
 * `text` as is when it is a short plain identifier (letters, digits, `_ . : @ -`, such as an app
 * id), otherwise {@link quoteText}: messages stay readable for the usual case and safe for any.
 */
export function showText(text: string, max = QUOTED_TEXT_MAX): string {
  return text.length <= max && PLAIN.test(text) ? text : quoteText(text, max)
}
