// The token a command works on: its one positional argument, or stdin; and the hint for a token
// that was mangled on its way (URL-encoded, or '+' turned into a space by a query string).
import { decodeToken, type DecodedToken, TokenError } from '../index.js'
import type { Io } from './io.js'
import { UsageError } from './usage.js'

/** Refuses more than one positional argument (checked before anything else is read). */
export function expectOneToken(positionals: readonly string[]): void {
  if (positionals.length > 1) {
    throw new UsageError(
      `expected one token, got ${positionals.length} arguments (does a flag before one of them need a value?)`,
    )
  }
}

/**
 * The token from the positional arguments (`-` or none means stdin), surrounding whitespace
 * removed. Never repeats an argument in an error: a misplaced certificate would be echoed.
 *
 * @param stdinTaken true when stdin already carried something else (`--cert -`)
 */
export async function readToken(
  positionals: readonly string[],
  io: Io,
  stdinTaken = false,
): Promise<string> {
  expectOneToken(positionals)
  const given = positionals[0]
  if (given !== undefined && given !== '-') {
    if (given.trim() === '') throw new UsageError('the token argument is empty')
    return given.trim()
  }
  if (stdinTaken) {
    throw new UsageError('stdin carried the certificate (--cert -): give the token as an argument')
  }
  if (given === undefined && io.stdinIsTty) {
    throw new UsageError('no token: give it as an argument, or pipe it on stdin')
  }
  const text = (await io.readStdin()).trim()
  if (text === '') throw new UsageError('no token on stdin')
  return text
}

/** What went wrong on the token's way here, when its text shows it; '' otherwise. */
function manglingHint(token: string): string {
  if (/%[0-9a-f]{2}/i.test(token)) {
    return (
      '; the token looks URL-encoded (it holds %-escapes such as %2B for +): ' +
      'decode it first (decodeURIComponent)'
    )
  }
  if (/\s/.test(token)) {
    return (
      '; the token holds spaces: a query string turns + into a space. ' +
      'URL-encode the token when you put it in a URL (encodeURIComponent), or put the + back'
    )
  }
  return ''
}

/**
 * `err` with a hint appended when it is a decoding error and the token looks mangled in
 * transport; `err` itself otherwise.
 */
export function withTokenHint(err: unknown, token: string): unknown {
  if (!(err instanceof TokenError)) return err
  if (err.code !== 'ERR_TOKEN_MALFORMED' && err.code !== 'ERR_TOKEN_VERSION') return err
  const hint = manglingHint(token)
  return hint === '' ? err : new TokenError(err.code, err.message + hint, { cause: err })
}

/** decodeToken, with {@link withTokenHint} on failure. */
export function decodeGiven(token: string): DecodedToken {
  try {
    return decodeToken(token)
  } catch (err) {
    throw withTokenHint(err, token)
  }
}
