// The token a command works on: its one positional argument, or stdin.
import type { Io } from './io.js'
import { UsageError } from './usage.js'

/**
 * The token from the positional arguments (`-` or none means stdin), surrounding whitespace
 * removed. Never repeats an argument in an error: a misplaced certificate would be echoed.
 */
export async function readToken(positionals: readonly string[], io: Io): Promise<string> {
  if (positionals.length > 1) {
    throw new UsageError(
      `expected one token, got ${positionals.length} arguments (does a flag before one of them need a value?)`,
    )
  }
  const given = positionals[0]
  if (given !== undefined && given !== '-') {
    if (given.trim() === '') throw new UsageError('the token argument is empty')
    return given.trim()
  }
  if (given === undefined && io.stdinIsTty) {
    throw new UsageError('no token: give it as an argument, or pipe it on stdin')
  }
  const text = (await io.readStdin()).trim()
  if (text === '') throw new UsageError('no token on stdin')
  return text
}
