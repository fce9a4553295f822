// `token007 build <kind> --count N`: N records, one token each, built through the same path as a
// single build (every guard and check applies to each), streamed to stdout or a file with
// back-pressure, so that memory stays flat whatever N is.
import { EXIT } from './command.js'
import type { Io, OutputStream } from './io.js'
import { span } from './time.js'
import { boundaryIndices, compileTemplate, expand, literalText, type Template } from './template.js'
import { UsageError, type Values } from './usage.js'

/** The output formats of a batch. */
export const FORMATS = ['jsonl', 'csv', 'tokens'] as const
export type Format = (typeof FORMATS)[number]

/** One output record. */
export interface BatchRecord {
  i: number
  channelName?: string
  uid?: number | string
  userId?: string
  token: string
  /** ISO 8601. */
  expiresAt: string
}

/** One built token and the subject it was built for. */
export type Built = Omit<BatchRecord, 'i'>

/** What build.ts hands over: the parsed flags and how to build one record from them. */
export interface BatchPlan {
  values: Values
  /** Flags whose values may hold templates (string and number options, not credentials). */
  templatable: readonly string[]
  /** Builds one token from the flags of one record; throws as a single build would. */
  build(values: Values): Built
  /** The record fields this kind has, in CSV column order (between i and token). */
  fields: ReadonlyArray<'channelName' | 'uid' | 'userId'>
}

/** The batch options: --count, --start, --format, -o. */
export interface BatchOptions {
  count: number
  start: number
  format: Format
  output: string | undefined
}

// Chunks of about this many characters are handed to the stream (each may wait for 'drain').
const CHUNK = 256 * 1024
const PROGRESS_EVERY_MS = 250

type Expander = (i: number) => string | string[]

/** Compiles every templatable flag; the expanders of those that hold an expression. */
function compileAll(plan: BatchPlan): { base: Values; expanders: Map<string, Expander> } {
  // base becomes the scratch object of recordValues: a copy, never plan.values itself.
  const base: Values = { ...plan.values }
  const expanders = new Map<string, Expander>()
  for (const name of plan.templatable) {
    const value = plan.values[name]
    if (name === 'permissions' && typeof value === 'string' && !isJson(value)) continue
    if (typeof value === 'string') {
      const expander = compileOne(value, `--${name}`, name === 'permissions')
      if (expander === undefined) base[name] = literal(value, name === 'permissions')
      else expanders.set(name, expander)
    } else if (Array.isArray(value)) {
      const compiled = value.map((v) => compileOne(v, `--${name}`, false))
      if (compiled.every((c) => c === undefined)) base[name] = value.map((v) => literalText(v))
      else {
        const parts = compiled.map((c, n) => c ?? (() => literalText(value[n])))
        expanders.set(name, (i) => parts.map((p) => p(i) as string))
      }
    }
  }
  return { base, expanders }
}

function literal(value: string, json: boolean): string {
  return json ? JSON.stringify(mapStrings(parseJson(value), literalText)) : literalText(value)
}

/** A templated string inside a JSON value (--permissions). */
class Slot {
  constructor(readonly template: Template) {}
}

/** A template's expander; for JSON (--permissions) templates apply to its string values. */
function compileOne(value: string, flag: string, json: boolean): Expander | undefined {
  if (!json) {
    const t = compileTemplate(value, flag)
    return t === undefined ? undefined : (i) => expand(t, i)
  }
  let slots = 0
  const shape = mapStrings(parseJson(value), (s) => {
    const t = compileTemplate(s, flag)
    if (t === undefined) return literalText(s)
    slots++
    return new Slot(t)
  })
  if (slots === 0) return undefined
  return (i) => JSON.stringify(shape, (_k, v) => (v instanceof Slot ? expand(v.template, i) : v))
}

function parseJson(text: string): unknown {
  return JSON.parse(text)
}

// build.ts reports a --permissions that is not JSON when it parses it: such text is not
// templated, but passed on unchanged.
function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** `tree` with every string (not keys) passed through `f`. */
function mapStrings(tree: unknown, f: (s: string) => unknown): unknown {
  if (typeof tree === 'string') return f(tree)
  if (Array.isArray(tree)) return tree.map((x) => mapStrings(x, f))
  if (tree !== null && typeof tree === 'object') {
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, mapStrings(v, f)]))
  }
  return tree
}

/**
 * The flags of record `i`, written into `scratch` (a copy of the base flags that each record
 * overwrites: a build reads its flags before the next record is made, so one object serves all).
 */
function recordValues(scratch: Values, expanders: Map<string, Expander>, i: number): Values {
  for (const [name, expander] of expanders) scratch[name] = expander(i)
  return scratch
}

/** Builds record `i`, naming it in any error. */
function buildRecord(plan: BatchPlan, values: Values, i: number): BatchRecord {
  try {
    const record = plan.build(values) as BatchRecord
    record.i = i
    return record
  } catch (err) {
    if (err instanceof Error) err.message = `record i=${i}: ${err.message}`
    throw err
  }
}

function csvField(value: unknown): string {
  const text = value === undefined ? '' : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The formatter of one record, and the header line (csv). */
function formatter(
  format: Format,
  fields: BatchPlan['fields'],
): { header: string; line: (r: BatchRecord) => string } {
  if (format === 'tokens') return { header: '', line: (r) => `${r.token}\n` }
  if (format === 'jsonl') {
    return {
      header: '',
      // Written field by field: the same text as JSON.stringify of the record, in key order,
      // without building an object per record.
      line: (r) => {
        let text = `{"i":${r.i}`
        for (const f of fields) {
          const value = r[f]
          if (value !== undefined) text += `,"${f}":${JSON.stringify(value)}`
        }
        return `${text},"token":"${r.token}","expiresAt":"${r.expiresAt}"}\n`
      },
    }
  }
  // RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled.
  const columns = ['i', ...fields, 'token', 'expiresAt'] as const
  return {
    header: `${columns.join(',')}\r\n`,
    line: (r) => `${columns.map((c) => csvField(r[c])).join(',')}\r\n`,
  }
}

/**
 * Checks the batch before anything is written: every template compiles, and the records at the
 * boundaries of every templated value (first, last, where a value gains a digit, is 0, or a
 * modulo wraps) build. A record that still fails later stops the run, naming it; a file given
 * with -o is then removed, so that it is never left half-written.
 */
function preflight(
  plan: BatchPlan,
  base: Values,
  expanders: Map<string, Expander>,
  options: BatchOptions,
): void {
  const first = options.start
  const last = options.start + options.count - 1
  const expressions = [...expanders.keys()].flatMap((name) =>
    templatesOf(plan.values[name], `--${name}`, name === 'permissions').flatMap((t) => [
      ...t.expressions,
    ]),
  )
  const fails = (i: number): unknown => {
    try {
      buildRecord(plan, recordValues(base, expanders, i), i)
      return undefined
    } catch (err) {
      return err
    }
  }
  let passed = first - 1
  for (const i of boundaryIndices(expressions, first, last)) {
    let failure = fails(i)
    if (failure === undefined) {
      passed = i
      continue
    }
    // Name the first record that fails: between the last that passed and this one, a check
    // that grows with the value fails from some index on.
    let [low, high] = [passed, i]
    while (high - low > 1) {
      const middle = low + Math.floor((high - low) / 2)
      const err = fails(middle)
      if (err === undefined) low = middle
      else [high, failure] = [middle, err]
    }
    throw failure
  }
}

function templatesOf(value: Values[string], flag: string, json: boolean): Template[] {
  const texts = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
  const found: Template[] = []
  for (const text of texts) {
    const strings: string[] = []
    if (json && !isJson(text)) continue
    if (json) mapStrings(parseJson(text), (s) => strings.push(s))
    else strings.push(text)
    for (const s of strings) {
      const t = compileTemplate(s, flag)
      if (t !== undefined) found.push(t)
    }
  }
  return found
}

/** Shows count, rate and ETA on one stderr line, at most every PROGRESS_EVERY_MS. */
function progressReporter(io: Io, total: number): { tick(done: number): void; end(): void } {
  if (!io.stderrIsTty) return { tick() {}, end() {} }
  const started = io.now()
  let shownAt = started
  return {
    tick(done) {
      const now = io.now()
      if (now - shownAt < PROGRESS_EVERY_MS) return
      shownAt = now
      const rate = done / Math.max((now - started) / 1000, 1e-3)
      const eta = rate > 0 ? span((total - done) / rate) : '?'
      io.err(`\r${done}/${total} tokens, ${Math.round(rate)}/s, ETA ${eta}   `)
    },
    end() {
      io.err('\r\x1b[K')
    },
  }
}

/** Runs a batch: preflight, then build and stream every record. Resolves to the exit code. */
export async function runBatch(plan: BatchPlan, options: BatchOptions, io: Io): Promise<number> {
  const { base, expanders } = compileAll(plan)
  preflight(plan, base, expanders, options)
  const { header, line } = formatter(options.format, plan.fields)
  const out: OutputStream = await io.openOutput(options.output)
  const progress = progressReporter(io, options.count)
  const end = options.start + options.count
  let chunk = header
  let done = 0
  try {
    for (let i = options.start; i < end; i++) {
      chunk += line(buildRecord(plan, recordValues(base, expanders, i), i))
      done++
      if (chunk.length >= CHUNK) {
        if (!(await out.write(chunk))) return EXIT.ok // the reader went away (`| head`)
        chunk = ''
        progress.tick(done)
      }
    }
    if (chunk !== '' && !(await out.write(chunk))) return EXIT.ok
    await out.close()
  } catch (err) {
    await out.abort()
    throw err
  } finally {
    progress.end()
  }
  return EXIT.ok
}

/** Parses --count, --start, --format and -o; undefined without --count. */
export function batchOptions(values: Values): BatchOptions | undefined {
  const { count, start, format, output } = values
  if (count === undefined) {
    for (const [name, v] of [
      ['start', start],
      ['format', format],
      ['output', output],
    ] as const) {
      if (v !== undefined) throw new UsageError(`--${name} applies with --count <n>`)
    }
    return undefined
  }
  if (values.json !== undefined) throw new UsageError('--json cannot be used with --count')
  const n = wholeNumber(count, '--count', 1, 1e9)
  const first = start === undefined ? 0 : wholeNumber(start, '--start', 0, 1e15)
  const f = format === undefined ? 'jsonl' : String(format)
  if (!(FORMATS as readonly string[]).includes(f)) {
    throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}`)
  }
  if (output === '') throw new UsageError('-o: expected a file name')
  return {
    count: n,
    start: first,
    format: f as Format,
    output: typeof output === 'string' ? output : undefined,
  }
}

function wholeNumber(value: Values[string], flag: string, min: number, max: number): number {
  const text = typeof value === 'string' ? value : ''
  const n = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag}: expected a whole number ${min}..${max}`)
  }
  return n
}
