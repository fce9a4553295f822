// The command line's view of the outside world: output streams, stdin, files, the environment
// and the clock, gathered in one object so that the commands themselves never touch `process`.

/** A stream of records (build --count): written in order, with back-pressure. */
export interface OutputStream {
  /**
   * Writes `text`; resolves when the stream can take more, to false when the reader has gone
   * away (a broken pipe), after which nothing more should be written.
   */
  write(text: string): Promise<boolean>
  /** Finishes the output (a file is moved into place only now). */
  close(): Promise<void>
  /** Abandons the output: a file being written is removed. */
  abort(): Promise<void>
}

/** What a command may read and write. */
export interface Io {
  /** Writes to stdout (a line break is not added). */
  out(text: string): void
  /** Writes to stderr (a line break is not added). */
  err(text: string): void
  /** Reads all of stdin as UTF-8. */
  readStdin(): Promise<string>
  /** Reads a small text file (a certificate file) as UTF-8. */
  readFile(path: string): Promise<string>
  /** Opens a stream to the file at `path`, or to stdout when `path` is undefined. */
  openOutput(path: string | undefined): Promise<OutputStream>
  /** Whether stdin is a terminal (then no token is waiting on it). */
  stdinIsTty: boolean
  /** Whether stderr is a terminal (then progress may be shown there). */
  stderrIsTty: boolean
  env: Readonly<Record<string, string | undefined>>
  /** Whether stdout may carry ANSI colours. */
  color: boolean
  /**
   * The IANA time zone to show local times in beside UTC (when stdout is a terminal and the
   * zone is not UTC); undefined for UTC only.
   */
  localTimeZone: string | undefined
  /** The current time in Unix milliseconds. */
  now(): number
  /**
   * Registers a secret (a certificate) so that it is masked in everything written afterwards: a
   * last line of defence behind the messages, which never include one on purpose.
   */
  secret(value: string): void
}

/**
 * Whether a stream may carry colours: it is a terminal and NO_COLOR is not set to a non-empty
 * value (https://no-color.org).
 */
export function colorAllowed(isTty: boolean | undefined, env: Io['env']): boolean {
  return isTty === true && !env.NO_COLOR
}
