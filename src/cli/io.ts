// The command line's view of the outside world: output streams, stdin, the environment and the
// clock, gathered in one object so that the commands themselves never touch `process`.
import process from 'node:process'
import { UsageError } from './usage.js'

/** What a command may read and write. */
export interface Io {
  /** Writes to stdout (a line break is not added). */
  out(text: string): void
  /** Writes to stderr (a line break is not added). */
  err(text: string): void
  /** Reads all of stdin as UTF-8. */
  readStdin(): Promise<string>
  /** Whether stdin is a terminal (then no token is waiting on it). */
  stdinIsTty: boolean
  env: Readonly<Record<string, string | undefined>>
  /** Whether stdout may carry ANSI colours. */
  color: boolean
  /** The current time in Unix milliseconds. */
  now(): number
  /**
   * Registers a secret (a certificate) so that it is masked in everything written afterwards: a
   * last line of defence behind the messages, which never include one on purpose.
   */
  secret(value: string): void
}

// A token is a few hundred bytes; anything this large on stdin is not one.
const MAX_STDIN_BYTES = 1 << 20

/**
 * Whether a stream may carry colours: it is a terminal and NO_COLOR is not set to a non-empty
 * value (https://no-color.org).
 */
export function colorAllowed(isTty: boolean | undefined, env: Io['env']): boolean {
  return isTty === true && !env.NO_COLOR
}

/** The Io of the running process. */
export function processIo(): Io {
  const secrets: string[] = []
  const mask = (text: string): string => {
    let masked = text
    // Case-insensitive: a hexadecimal certificate means the same in either case.
    for (const s of secrets)
      masked = masked.replace(new RegExp(escapeRegExp(s), 'gi'), '<certificate>')
    return masked
  }
  return {
    out: (text) => void process.stdout.write(mask(text)),
    err: (text) => void process.stderr.write(mask(text)),
    readStdin,
    stdinIsTty: process.stdin.isTTY === true,
    env: process.env,
    color: colorAllowed(process.stdout.isTTY, process.env),
    now: () => Date.now(),
    secret(value) {
      // Short values would mask innocent text; no certificate is that short.
      if (value.length >= 8 && !secrets.includes(value)) secrets.push(value)
    },
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_STDIN_BYTES) {
      throw new UsageError(`stdin holds more than ${MAX_STDIN_BYTES} bytes; expected one token`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
