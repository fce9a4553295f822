// Argument parsing on top of node:util parseArgs, with errors that never repeat a value the user
// typed (it could be a certificate given in the wrong place).
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { suggestion } from './suggest.js'
import { couldBeSecret, echoed } from './text.js'

/** A mistake in the command line itself: exit code 2, with a pointer to `--help`. */
export class UsageError extends Error {
  override name = 'UsageError'
}

type Options = NonNullable<ParseArgsConfig['options']>

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const satisfies Options

/** The parsed flags of a command (strings, string lists and booleans by flag name). */
export type Values = Record<string, string | boolean | string[] | undefined>

/** Parses `args` strictly against `options` (plus the common ones). */
export function parseFlags(
  args: readonly string[],
  options: Options,
): { values: Values; positionals: string[] } {
  const all = { ...COMMON_OPTIONS, ...options }
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(args, all),
      options: all,
      strict: true,
      allowPositionals: true,
    })
    return { values: values as Values, positionals }
  } catch (err) {
    throw new UsageError(parseArgsMessage(err, Object.keys(all)))
  }
}

/**
 * `--at -30m` as `--at=-30m`: a value that starts with '-' and a digit (an offset, a negative
 * number) is never a flag, so it is taken as the value of the string flag before it.
 */
function joinNegativeValues(args: readonly string[], options: Options): string[] {
  const joined: string[] = []
  for (let i = 0; i < args.length; i++) {
    const name = /^--([a-z][a-z0-9-]*)$/.exec(args[i])?.[1]
    const next = args[i + 1]
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${args[i]}=${next}`)
      i++
    } else joined.push(args[i])
    if (args[i] === '--') {
      joined.push(...args.slice(i + 1))
      break
    }
  }
  return joined
}

function parseArgsMessage(err: unknown, known: readonly string[]): string {
  const code = (err as { code?: unknown }).code
  const message = err instanceof Error ? err.message : String(err)
  const flag = /'(-[^' ]+)/.exec(message)?.[1]
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return flag === undefined ? 'unknown option' : unknownOption(flag, known)
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(message)) return `${flag} takes no value`
      if (/ambiguous/.test(message)) {
        return `${flag} needs a value; to pass one that starts with '-', write ${flag}=<value>`
      }
      return `${flag} needs a value`
    default:
      return message.split('\n')[0]
  }
}

/** Only the flag's name (what follows '=' may be a secret), and the flags it may have meant. */
function unknownOption(flag: string, known: readonly string[]): string {
  const name = flag.split('=')[0]
  const plain = /^--?[A-Za-z][A-Za-z0-9-]{0,30}$/.test(name) && !couldBeSecret(name)
  const bare = plain ? name : echoed(name)
  const word = name.replace(/^--?/, '')
  return `unknown option ${bare}${bare === name ? suggestion(word, known, '--') : ''}`
}

/** A string flag's value (the last one when given twice), or undefined. */
export function stringFlag(values: Values, name: string): string | undefined {
  const value = values[name]
  if (Array.isArray(value)) return value[value.length - 1]
  return typeof value === 'string' ? value : undefined
}

/** A repeatable string flag's values. */
export function listFlag(values: Values, name: string): string[] {
  const value = values[name]
  if (Array.isArray(value)) return value
  return typeof value === 'string' ? [value] : []
}

/** A string flag that must be present. */
export function requiredFlag(values: Values, name: string, what: string): string {
  const value = stringFlag(values, name)
  if (value === undefined || value === '') throw new UsageError(`--${name} is required (${what})`)
  return value
}

/** Refuses flags that cannot go together. */
export function exclusive(values: Values, ...names: string[]): void {
  let count = 0
  for (const n of names) if (values[n] !== undefined) count++
  if (count < 2) return // the usual case, checked once per record of a batch
  const given = names.filter((n) => values[n] !== undefined)
  throw new UsageError(`${given.map((n) => `--${n}`).join(' and ')} cannot be used together`)
}
