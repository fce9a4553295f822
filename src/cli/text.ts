// Untrusted text on its way to a terminal or a log: every string that comes from a token or an
// argument is shown through these functions, so that it cannot move the cursor, forge a line,
// reorder what follows it (bidi overrides), flood the screen, or leak a certificate.

/** Longest string shown whole; longer ones are cut and say how much was left out. */
export const MAX_SHOWN = 120
/** Longest message (an error from the library, which may quote a token's fields). */
export const MAX_MESSAGE = 1000

// C0 and C1 controls, DEL, the bidi marks, embeddings, overrides and isolates, the line and
// paragraph separators, the BOM, and lone surrogates (which no terminal shows the same way).
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its job
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu

function escapeChar(c: string): string {
  switch (c) {
    case '\n':
      return '\\n'
    case '\r':
      return '\\r'
    case '\t':
      return '\\t'
    default:
      return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  }
}

/** `text` cut to `max` code points, saying how many more there were. */
function cut(text: string, max: number): { text: string; rest: number } {
  if (text.length <= max) return { text, rest: 0 }
  const points = Array.from(text)
  if (points.length <= max) return { text, rest: 0 }
  return { text: points.slice(0, max).join(''), rest: points.length - max }
}

/**
 * A string from a token or an argument as shown in output: in double quotes, with quotes,
 * backslashes, control characters, bidi controls and lone surrogates escaped, cut to `max`
 * characters.
 *
 * @example
 * ```ts
 * shown('room\x1b[2J') // '"room\\u001b[2J"'
 * ```
 */
export function shown(text: string, max = MAX_SHOWN): string {
  const { text: head, rest } = cut(text, max)
  const body = head.replace(/["\\]/g, '\\$&').replace(UNSAFE, escapeChar)
  return `"${body}"${rest > 0 ? `… (${rest} more characters)` : ''}`
}

/**
 * A message as printed on one line: control characters, bidi controls and lone surrogates
 * escaped, cut to {@link MAX_MESSAGE} characters. For messages whose parts were not all shown
 * through {@link shown} (the library's errors quote a token's fields).
 */
export function sanitized(message: string, max = MAX_MESSAGE): string {
  const { text, rest } = cut(message, max)
  return text.replace(UNSAFE, escapeChar) + (rest > 0 ? `… (${rest} more characters)` : '')
}

// A run of hexadecimal digits this long may be (part of) a certificate (32 of them); shorter
// runs are the numbers people type (a uid, Unix seconds).
const HEX_RUN = /[0-9a-f]{12,}/i

/**
 * Whether an argument could be (part of) a certificate pasted in the wrong place: it holds a
 * run of 12 or more hexadecimal digits.
 */
export function couldBeSecret(arg: string): boolean {
  return HEX_RUN.test(arg)
}

/**
 * An argument as echoed in an error: {@link shown} when it cannot be a certificate, otherwise
 * only its length.
 *
 * @example
 * ```ts
 * echoed('frobnicate') // '"frobnicate"'
 * echoed('5cfd2fd1755d40ecb72977518be15d3b') // 'an argument of 32 characters (not shown)'
 * ```
 */
export function echoed(arg: string, max = 40): string {
  return couldBeSecret(arg)
    ? `an argument of ${arg.length} characters (not shown)`
    : shown(arg, max)
}

/** The arguments an error must not repeat: all but the app id, which is not a secret. */
export function secretCandidates(args: readonly string[]): string[] {
  return args.filter((a, i) => args[i - 1] !== '--app-id' && !a.startsWith('--app-id='))
}

/**
 * `message` with every run of 8 or more hexadecimal digits that also occurs in one of `args`
 * that {@link couldBeSecret}, and every number the library may have printed for such an
 * all-digit argument, replaced by `<hidden>`: an error that repeats a certificate given to the
 * wrong flag shows no piece of it.
 */
export function redacted(message: string, args: readonly string[]): string {
  const secrets = args.filter(couldBeSecret).map((a) => a.toLowerCase())
  if (secrets.length === 0) return message
  let out = message
  for (const s of secrets) {
    const digits = /\d{12,}/.exec(s)?.[0]
    if (digits === undefined) continue
    // 1.2345678901234568e+31 and the like: the digits of a number parsed from the argument.
    const number = String(Number(digits))
    if (number.length >= 12) out = out.split(number).join('<hidden>')
  }
  return out.replace(/[0-9a-f]{8,}/gi, (run) => {
    const lower = run.toLowerCase()
    return secrets.some((s) => s.includes(lower) || lower.includes(s)) ? '<hidden>' : run
  })
}
