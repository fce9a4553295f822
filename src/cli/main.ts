// The `token007` executable: global flags, dispatch to a subcommand, and the one place where
// errors become messages and exit codes (never a stack trace unless --debug).
import process from 'node:process'
import { version } from '../../package.json'
import { InvalidArgument, TokenError } from '../index.js'
import { buildCommand } from './build.js'
import { EXIT, type Command } from './command.js'
import { demoCommand } from './demo.js'
import { inspectCommand } from './inspect.js'
import { processIo, type Io } from './io.js'
import { serveCommand } from './serve.js'
import { UsageError } from './usage.js'
import { verifyCommand } from './verify.js'

const COMMANDS: readonly Command[] = [
  inspectCommand,
  verifyCommand,
  buildCommand,
  demoCommand,
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

Credentials come from --app-id / --cert or the environment: TOKEN007_APP_ID and
TOKEN007_APP_CERTIFICATE (or APP_ID and APP_CERTIFICATE). No certificate is ever printed.

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
    if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.find((c) => c.name === commandArgs[0]) : undefined
      io.out(`${topic ? topic.help : mainHelp()}\n`)
      return EXIT.ok
    }
    if (name === '-v' || name === '--version') {
      io.out(`${version}\n`)
      return EXIT.ok
    }
    command = COMMANDS.find((c) => c.name === name)
    if (command === undefined) {
      const shown = name.startsWith('-') ? name.split('=')[0] : JSON.stringify(name.slice(0, 20))
      throw new UsageError(
        `unknown command ${shown}; expected one of ${COMMANDS.map((c) => c.name).join(', ')}`,
      )
    }
    return await command.run(commandArgs, io)
  } catch (err) {
    return report(err, command, io, debug)
  }
}

function report(err: unknown, command: Command | undefined, io: Io, debug: boolean): number {
  const who = command ? `token007 ${command.name}` : 'token007'
  const stack = debug && err instanceof Error && err.stack ? `\n${err.stack}` : ''
  if (err instanceof UsageError || err instanceof InvalidArgument) {
    io.err(`${who}: ${err.message} (see ${who} --help)${stack}\n`)
    return EXIT.usage
  }
  if (err instanceof TokenError) {
    io.err(`${who}: ${err.code}: ${err.message}${stack}\n`)
    return EXIT.rejected
  }
  const message = err instanceof Error ? err.message : String(err)
  const hint = debug ? '' : ' (run with --debug for the stack trace)'
  io.err(`${who}: unexpected error: ${message}${hint}${stack}\n`)
  return EXIT.rejected
}

// A reader that goes away (`token007 … | head -1`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok)
  throw err
})

main(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code
})
