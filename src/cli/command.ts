// The shape every subcommand has, and the exit codes they share.
import type { Io } from './io.js'

/** Exit codes: 0 success, 1 the token was rejected (or could not be read), 2 a usage error. */
export const EXIT = { ok: 0, rejected: 1, usage: 2 } as const

/** A subcommand of `token007`. */
export interface Command {
  name: string
  /** One line for the command list. */
  summary: string
  /** The full text of `token007 <name> --help`. */
  help: string
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[], io: Io): Promise<number>
}
