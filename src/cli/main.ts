// The `token007` command line: global flags, dispatch to a subcommand, and the one place where
// errors become messages and exit codes (never a stack trace unless --debug). Importing it runs
// nothing: bin.ts runs it for the process, tests call main() with their own Io.
import { version } from '../../package.json'
import { InvalidArgument, TokenError } from '../index.js'
import { buildCommand } from './build.js'
import { EXIT, type Command } from './command.js'
import { demoCommand } from './demo.js'
import { doctorCommand } from './doctor.js'
import { inspectCommand } from './inspect.js'
import type { Io } from './io.js'
import { suggestion } from './suggest.js'
import { couldBeSecret, echoed, redacted, sanitized, secretCandidates } from './text.js'
import { serveCommand } from './serve.js'
import { UsageError } from './usage.js'
import { verifyCommand } from './verify.js'
import { webCommand } from './web.js'

/** The subcommands, in the order --help lists them. */
export const COMMANDS: readonly Command[] = [
  inspectCommand,
  verifyCommand,
  buildCommand,
  demoCommand,
  doctorCommand,
  webCommand,
  serveCommand,
]

function mainHelp(): string {
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join('\n')
  return `token007 ${version}: build, inspect and verify Agora access tokens (AccessToken2 "007" and legacy "006")

Usage: token007 <command> [options]

Commands:
${list}

Options:
  -h, --help      help (also: token007 <command> --help)
  -v, --version   the version
  --debug         show stack traces of unexpected errors

Credentials come from --app-id and --cert <hex> | --cert - (stdin) | --cert-file <path>, or
from the environment: AGORA_APP_ID and AGORA_APP_CERTIFICATE (also read: TOKEN007_APP_ID,
TOKEN007_APP_CERTIFICATE, APP_ID, APP_CERTIFICATE). Your certificate is never printed.

Exit status: 0 success; 1 the token was rejected or could not be read; 2 a usage error.

Try: token007 demo`
}

/**
 * Runs the command line `args` (without the node and script paths) and resolves to the exit
 * code. Everything goes through `io`.
 */
export async function main(args: readonly string[], io: Io): Promise<number> {
  const end = args.indexOf('--')
  const flags = end < 0 ? args : args.slice(0, end)
  const debug = flags.includes('--debug')
  const rest = args.filter((a, i) => !(a === '--debug' && (end < 0 || i < end)))
  const [name, ...commandArgs] = rest
  let command: Command | undefined
  try {
    if (name === undefined) {
      io.err(`${mainHelp()}\n`)
      return EXIT.usage
    }
    if (name === '-h' || name === '--help' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.find((c) => c.name === commandArgs[0]) : undefined
      io.out(`${topic ? topic.help : mainHelp()}\n`)
      return EXIT.ok
    }
    if (name === '-v' || name === '--version') {
      io.out(`${version}\n`)
      return EXIT.ok
    }
    command = COMMANDS.find((c) => c.name === name)
    if (command === undefined) throw unknownCommand(name)
    return await command.run(commandArgs, io)
  } catch (err) {
    return report(err, command, io, debug, secretCandidates(args))
  }
}

function unknownCommand(name: string): UsageError {
  const names = COMMANDS.map((c) => c.name)
  const shown = name.startsWith('-') && !couldBeSecret(name) ? name.split('=')[0] : echoed(name)
  const hint = couldBeSecret(name) ? '' : suggestion(name, names)
  return new UsageError(`unknown command ${shown}; expected one of ${names.join(', ')}${hint}`)
}

function report(
  err: unknown,
  command: Command | undefined,
  io: Io,
  debug: boolean,
  args: readonly string[],
): number {
  const who = command ? `token007 ${command.name}` : 'token007'
  const text = (message: string) => sanitized(redacted(message, args))
  const stack =
    debug && err instanceof Error && err.stack
      ? `\n${err.stack.split('\n').map(text).join('\n')}`
      : ''
  if (err instanceof UsageError || err instanceof InvalidArgument) {
    io.err(`${who}: ${text(err.message)} (see ${who} --help)${stack}\n`)
    return EXIT.usage
  }
  if (err instanceof TokenError) {
    io.err(`${who}: ${err.code}: ${text(err.message)}${stack}\n`)
    return EXIT.rejected
  }
  const message = err instanceof Error ? err.message : String(err)
  const hint = debug ? '' : ' (run with --debug for the stack trace)'
  io.err(`${who}: unexpected error: ${text(message)}${hint}${stack}\n`)
  return EXIT.rejected
}
