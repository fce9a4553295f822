// The `token007` command line run in-process: main(args, io) with an Io that records what was
// written, so that a test sees exactly what a user would (stdout, stderr, exit code) without a
// child process. test/cli/bin.test.ts runs the built dist/cli.js for real.
import { expect } from 'vitest'
import type { DecodedToken } from '../../src/index.js'
import type { Io, OutputStream } from '../../src/cli/io.js'
import { main } from '../../src/cli/main.js'
import { UsageError } from '../../src/cli/usage.js'
import { vectorFiles } from './vectors.js'

/** What one run printed and how it ended. */
export interface Run {
  code: number
  stdout: string
  stderr: string
  /** The files written with -o, by path. */
  files: Record<string, string>
}

/** How the fake world of a run looks. */
export interface RunOptions {
  /** stdin's text (stdin is a pipe unless `stdinIsTty`). */
  input?: string
  /** The whole environment (nothing of the developer's own leaks in). */
  env?: Record<string, string>
  /** The clock, Unix ms, or a function read at every call (default: the real clock). */
  now?: number | (() => number)
  stdinIsTty?: boolean
  stderrIsTty?: boolean
  color?: boolean
  localTimeZone?: string
  /** Files readFile can read, by path. */
  files?: Record<string, string>
  /** The stdout stream reports a broken pipe once this many bytes were written to it. */
  breakAfter?: number
  /** Called on every write to the record stream (to watch back-pressure). */
  onStreamWrite?: (text: string) => Promise<void> | void
}

/** Every run, for {@link expectNoCertificatePrinted}. */
export const runs: Run[] = []

/** Runs `token007 <args>` in-process. */
export async function cli(args: string[], options: RunOptions = {}): Promise<Run> {
  const run: Run = { code: -1, stdout: '', stderr: '', files: {} }
  const io: Io = {
    out: (text) => void (run.stdout += text),
    err: (text) => void (run.stderr += text),
    readStdin: async () => options.input ?? '',
    readFile: async (path) => {
      const text = options.files?.[path]
      if (text === undefined) throw new UsageError(`cannot read ${JSON.stringify(path)} (ENOENT)`)
      return text
    },
    openOutput: async (path) => recordStream(run, path, options),
    stdinIsTty: options.stdinIsTty ?? false,
    stderrIsTty: options.stderrIsTty ?? false,
    env: options.env ?? {},
    color: options.color ?? false,
    localTimeZone: options.localTimeZone,
    now: () => {
      const { now } = options
      return typeof now === 'function' ? now() : (now ?? Date.now())
    },
    secret: () => {},
  }
  run.code = await main(args, io)
  runs.push(run)
  return run
}

function recordStream(run: Run, path: string | undefined, options: RunOptions): OutputStream {
  let text = ''
  let broken = false
  return {
    async write(chunk) {
      await options.onStreamWrite?.(chunk)
      if (broken) return false
      if (path === undefined) {
        const room = (options.breakAfter ?? Number.POSITIVE_INFINITY) - run.stdout.length
        if (chunk.length > room) {
          run.stdout += chunk.slice(0, Math.max(0, room))
          broken = true
          return false
        }
        run.stdout += chunk
      } else text += chunk
      return true
    },
    async close() {
      if (path !== undefined) run.files[path] = text
    },
    async abort() {},
  }
}

/** A decoded token as the CLI's JSON carries it: Dates as ISO strings, bytes as hex. */
export function asJson(decoded: DecodedToken): unknown {
  return JSON.parse(
    JSON.stringify(decoded, (_k, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
    ),
  )
}

/** Unix seconds as ISO 8601. */
export const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

/** The shape of a one-line failure: `token007 <command>: …`, one line, no stack trace. */
export function expectOneLineError(run: Run, code: number, pattern: RegExp): void {
  expect(run.code).toBe(code)
  expect(run.stdout).toBe('')
  expect(run.stderr).toMatch(pattern)
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1)
  expect(run.stderr).not.toMatch(/\n\s+at /)
}

/** Runs the cases, then checks each as {@link expectOneLineError}. */
export async function expectErrors(
  cases: Array<[args: string[], code: number, pattern: RegExp, env?: Record<string, string>]>,
): Promise<Run[]> {
  const results = await Promise.all(cases.map(([args, , , env]) => cli(args, { env })))
  cases.forEach(([, code, pattern], i) => {
    expect(results[i].stderr, cases[i][0].join(' ')).toMatch(pattern)
    expectOneLineError(results[i], code, pattern)
  })
  return results
}

export const APP_ID = '970ca35de60c44645bbae8a215061b33'
export const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
export const CREDENTIALS = ['--app-id', APP_ID, '--cert', CERT]
export const PINNED = ['--issued-at', '2030-01-01T00:00:00Z', '--salt', '7']

/** No run so far printed a certificate of the vectors or of `extra`, in either case. */
export function expectNoCertificatePrinted(extra: readonly string[] = []): void {
  const certificates = new Set(extra.map((c) => c.toLowerCase()))
  for (const dir of ['accesstoken2', 'accesstoken2-builders', 'accesstoken006']) {
    for (const file of vectorFiles(dir)) {
      for (const v of file.vectors) {
        const c = v.appCertificate ?? v.args?.[1]
        if (typeof c === 'string') certificates.add(c.toLowerCase())
      }
    }
  }
  for (const run of runs) {
    const text = `${run.stdout}\n${run.stderr}\n${Object.values(run.files).join('\n')}`
    const lower = text.toLowerCase()
    for (const certificate of certificates) {
      expect(lower.includes(certificate), certificate).toBe(false)
    }
  }
}
