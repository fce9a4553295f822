// The Io of the running process: the only module of the command line that touches `process`,
// its streams and the file system.
import { createWriteStream } from 'node:fs'
import { readFile, rename, rm, stat } from 'node:fs/promises'
import process from 'node:process'
import type { Writable } from 'node:stream'
import { colorAllowed, type Io, type OutputStream } from './io.js'
import { shown } from './text.js'
import { UsageError } from './usage.js'

// A token is a few hundred bytes and a certificate 32: anything this large is neither.
const MAX_INPUT_BYTES = 1 << 20

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
    readFile: readSmallFile,
    openOutput: (path) => (path === undefined ? Promise.resolve(stdoutStream()) : fileStream(path)),
    stdinIsTty: process.stdin.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    env: process.env,
    color: colorAllowed(process.stdout.isTTY, process.env),
    localTimeZone: process.stdout.isTTY === true ? systemTimeZone() : undefined,
    now: () => Date.now(),
    secret(value) {
      // Short values would mask innocent text; no certificate is that short.
      if (value.length >= 8 && !secrets.includes(value)) secrets.push(value)
    },
  }
}

function systemTimeZone(): string | undefined {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  return zone === undefined || zone === 'UTC' || zone === 'Etc/UTC' ? undefined : zone
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_INPUT_BYTES) {
      throw new UsageError(`stdin holds more than ${MAX_INPUT_BYTES} bytes; expected one token`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

async function readSmallFile(path: string): Promise<string> {
  try {
    if ((await stat(path)).size > MAX_INPUT_BYTES) {
      throw new UsageError(`${shown(path)} holds more than ${MAX_INPUT_BYTES} bytes`)
    }
    return await readFile(path, 'utf8')
  } catch (err) {
    if (err instanceof UsageError) throw err
    const code = (err as NodeJS.ErrnoException).code ?? 'an error'
    throw new UsageError(`cannot read ${shown(path)} (${code})`)
  }
}

/** Writes to `stream`, waiting for 'drain' when its buffer is full; false once it broke. */
function streamWriter(stream: Writable): {
  write(text: string): Promise<boolean>
  broken(): boolean
} {
  let broken = false
  stream.on('error', () => {
    broken = true
  })
  return {
    broken: () => broken,
    write(text) {
      if (broken) return Promise.resolve(false)
      if (stream.write(text)) return Promise.resolve(true)
      return new Promise((resolve) => {
        const done = () => {
          stream.off('drain', done)
          stream.off('error', done)
          resolve(!broken)
        }
        stream.on('drain', done)
        stream.on('error', done)
      })
    },
  }
}

function stdoutStream(): OutputStream {
  const writer = streamWriter(process.stdout)
  return { write: writer.write, close: async () => {}, abort: async () => {} }
}

/** A file written under a temporary name and renamed at the end: never left half-written. */
async function fileStream(path: string): Promise<OutputStream> {
  const partial = `${path}.partial-${process.pid}`
  // A buffer of a few chunks, so that building goes on while the disk writes.
  const file = createWriteStream(partial, { flags: 'wx', highWaterMark: 1 << 20 })
  await new Promise<void>((resolve, reject) => {
    file.once('open', () => resolve())
    file.once('error', (err: NodeJS.ErrnoException) =>
      reject(new UsageError(`-o: cannot write ${shown(path)} (${err.code ?? 'an error'})`)),
    )
  })
  const writer = streamWriter(file)
  const end = () => new Promise<void>((resolve) => file.end(resolve))
  return {
    async write(text) {
      if (await writer.write(text)) return true
      throw new UsageError(`-o: writing ${shown(path)} failed`)
    },
    async close() {
      await end()
      if (writer.broken()) {
        await rm(partial, { force: true })
        throw new UsageError(`-o: writing ${shown(path)} failed`)
      }
      await rename(partial, path)
    },
    async abort() {
      await end()
      await rm(partial, { force: true })
    },
  }
}
