// Packing primitives of docs/format.md ("Conventions"): little-endian integers and
// u16-length-prefixed byte strings.
import { TokenMalformed } from '../errors.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Encodes a string as UTF-8. */
export function utf8(text: string): Uint8Array {
  // TextEncoder.encode has a fixed cost per call (a call into the runtime) that outweighs the
  // copy for the short ASCII names tokens carry (channel names, uids, resource names); those are
  // copied here instead. Anything else goes to TextEncoder.
  const n = text.length
  if (n > SHORT_TEXT) return encoder.encode(text)
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0x80) return encoder.encode(text)
    out[i] = c
  }
  return out
}

/** ASCII bytes of a certificate (the references sign with the hex text itself, not its decoded bytes). */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i)
  return out
}

/**
 * Compares two byte strings in time that depends only on their lengths, not their contents.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i]
  return diff === 0
}

/** Up to this many UTF-16 units the ASCII copy in {@link utf8} beats TextEncoder (measured on V8). */
const SHORT_TEXT = 64

// Arrays of up to 1 KiB are carved from shared 8 KiB chunks, as Node pools its Buffers: a typed
// array of more than 64 bytes gets its own off-heap backing store from V8, an allocation that
// outweighs filling a token's worth of bytes. Regions are handed out once
// and never reused, so each array is zero-filled and only its owner writes it.
const CHUNK_BYTES = 8192
const POOLED_MAX_BYTES = 1024
let chunk = new ArrayBuffer(0)
let chunkUsed = 0

/**
 * A new zero-filled array of `length` bytes. Up to 1 KiB it is a view of a shared chunk (its
 * `buffer` holds other arrays too, its `byteOffset` may be nonzero): copy it (`slice`) before
 * handing it to a caller outside the library.
 */
export function allocateBytes(length: number): Uint8Array {
  if (length > POOLED_MAX_BYTES) return new Uint8Array(length)
  if (chunkUsed + length > chunk.byteLength) {
    chunk = new ArrayBuffer(CHUNK_BYTES)
    chunkUsed = 0
  }
  const out = new Uint8Array(chunk, chunkUsed, length)
  chunkUsed += length
  return out
}

/** The little-endian u16 lengths 0..127 as two-character strings, for {@link ByteWriter.asciiTexts}. */
const LENGTH_PREFIXES = Array.from({ length: 128 }, (_, n) => String.fromCharCode(n, 0))

/** A growable little-endian byte writer. */
export class ByteWriter {
  private buf: Uint8Array
  private pos = 0

  constructor(initialSize = 256) {
    this.buf = allocateBytes(initialSize)
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.pos + n) size *= 2
    const next = allocateBytes(size)
    next.set(this.buf.subarray(0, this.pos))
    this.buf = next
  }

  u16(value: number): this {
    this.reserve(2)
    this.buf[this.pos++] = value & 0xff
    this.buf[this.pos++] = (value >>> 8) & 0xff
    return this
  }

  u32(value: number): this {
    this.reserve(4)
    this.buf[this.pos++] = value & 0xff
    this.buf[this.pos++] = (value >>> 8) & 0xff
    this.buf[this.pos++] = (value >>> 16) & 0xff
    this.buf[this.pos++] = (value >>> 24) & 0xff
    return this
  }

  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length)
    this.buf.set(bytes, this.pos)
    this.pos += bytes.length
    return this
  }

  /** How many bytes fit before the writer grows. */
  get capacity(): number {
    return this.buf.length
  }

  /** Starts over: the next write goes to offset 0 (the bytes are not cleared). */
  clear(): this {
    this.pos = 0
    return this
  }

  /** Reserves `n` bytes for the caller to fill in later through the result (until then, unspecified). */
  skip(n: number): this {
    this.reserve(n)
    this.pos += n
    return this
  }

  /**
   * u16 length, then `text` as bytes, when it is ASCII and at most 65535 characters long (then
   * its UTF-8 encoding is exactly its character codes, with no copy through an encoded array).
   * Returns false, having written nothing, for any other text: the caller then validates and
   * encodes it as UTF-8.
   */
  asciiText(text: string): boolean {
    const n = text.length
    if (n > 0xffff) return false
    this.reserve(2 + n)
    const buf = this.buf
    const start = this.pos + 2
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i)
      if (c >= 0x80) return false
      buf[start + i] = c
    }
    buf[start - 2] = n & 0xff
    buf[start - 1] = n >>> 8
    this.pos = start + n
    return true
  }

  /**
   * {@link asciiText} for each of `texts` in turn, when every one is ASCII and shorter than 128
   * characters (then each length's two bytes are ASCII too), by one TextEncoder call over the
   * texts and their lengths joined: for a long list that is several times faster than copying
   * character by character (an ~8 KB list of names: ~14 µs → ~4 µs). Returns false, having
   * written nothing, otherwise; the caller then writes the texts one by one.
   */
  asciiTexts(texts: readonly string[]): boolean {
    // Concatenated rather than joined from an array (1.4x faster for 64-480 names): V8 builds a
    // rope, which the encoder flattens once.
    let joined = ''
    let length = 0
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i]
      if (text.length >= LENGTH_PREFIXES.length) return false
      joined += LENGTH_PREFIXES[text.length] + text
      length += 2 + text.length
    }
    this.reserve(length)
    const { read } = encoder.encodeInto(joined, this.buf.subarray(this.pos, this.pos + length))
    // A character beyond ASCII takes more than one byte, so the encoder stops before the end.
    if (read !== length) return false
    this.pos += length
    return true
  }

  /** u16 length, then the bytes. The caller has checked that the length fits in a u16. */
  bytes(bytes: Uint8Array): this {
    return this.u16(bytes.length).raw(bytes)
  }

  /** The bytes written so far (a view, not a copy). */
  result(): Uint8Array {
    return this.buf.subarray(0, this.pos)
  }
}

function decodeText(raw: Uint8Array, what: string, more: string | number, end: string): string {
  try {
    return decoder.decode(raw)
  } catch (cause) {
    throw new TokenMalformed(`${what}${more}${end} is not valid UTF-8`, { cause })
  }
}

/** The last string a {@link ByteReader.stringOrLast} read: its bytes and its text. */
export class LastString {
  bytes = new Uint8Array(0)
  text = ''
}

/**
 * A bounds-checked little-endian reader; every overrun is a {@link TokenMalformed}.
 *
 * Each read names what it reads for the error message, in up to three parts (`what`, `more`,
 * `end`) that are only joined when there is an error: a token is read far more often than it is
 * refused, and joining names for every field costs more than reading them.
 */
export class ByteReader {
  pos = 0

  constructor(readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.pos
  }

  private need(n: number, what: string, more: string | number, end: string): void {
    if (this.buf.length - this.pos < n) {
      throw new TokenMalformed(
        `token payload ends inside ${what}${more}${end} (needs ${n} bytes at offset ${this.pos}, ${this.remaining} left)`,
      )
    }
  }

  u16(what: string, more: string | number = '', end = ''): number {
    this.need(2, what, more, end)
    const b = this.buf
    const v = b[this.pos] | (b[this.pos + 1] << 8)
    this.pos += 2
    return v
  }

  i16(what: string, more: string | number = '', end = ''): number {
    return (this.u16(what, more, end) << 16) >> 16
  }

  u32(what: string, more: string | number = '', end = ''): number {
    this.need(4, what, more, end)
    const b = this.buf
    const p = this.pos
    this.pos += 4
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0
  }

  /** u16 length, then that many bytes (a view). */
  bytes(what: string, more: string | number = '', end = ''): Uint8Array {
    // The length's own name is only made when the length is cut off.
    if (this.buf.length - this.pos < 2) this.need(2, what, more, `${end} length`)
    const length = this.u16(what, more, end)
    this.need(length, what, more, end)
    const out = this.buf.subarray(this.pos, this.pos + length)
    this.pos += length
    return out
  }

  /** u16 length, then that many bytes of UTF-8. */
  string(what: string, more: string | number = '', end = ''): string {
    return decodeText(this.bytes(what, more, end), what, more, end)
  }

  /**
   * {@link string}, remembering in `last` the string read: when the next one has the same bytes
   * (the app id of the tokens a server verifies is nearly always its own), comparing them is
   * cheaper than decoding them again.
   */
  stringOrLast(what: string, last: LastString): string {
    const raw = this.bytes(what)
    const previous = last.bytes
    if (raw.length === previous.length) {
      let i = 0
      while (i < raw.length && raw[i] === previous[i]) i++
      if (i === raw.length) return last.text
    }
    const text = decodeText(raw, what, '', '')
    last.bytes = raw.slice()
    last.text = text
    return text
  }

  /**
   * `count` strings one after another, exactly as that many calls of {@link string} read them
   * (the same strings, the same errors); string `k` is named `${what}[${k}]`.
   */
  strings(count: number, what: string): string[] {
    const out = this.asciiStrings(count)
    if (out !== undefined) return out
    const strings: string[] = []
    const listed = `${what}[`
    for (let k = 0; k < count; k++) strings.push(this.string(listed, k, ']'))
    return strings
  }

  /**
   * The {@link strings} of a run that is ASCII throughout (its u16 lengths included: each below
   * 128), read with one call to the decoder and cut into slices; undefined, having read nothing,
   * for any other run (then {@link strings} reads it one string at a time and names any error).
   * The decoder's fixed cost per call is most of the cost of reading a short string, and RTM2
   * permission lists hold thousands of short ASCII names.
   */
  private asciiStrings(count: number): string[] | undefined {
    const buf = this.buf
    const start = this.pos
    let end = start
    for (let k = 0; k < count; k++) {
      if (buf.length - end < 2) return undefined
      end += 2 + (buf[end] | (buf[end + 1] << 8))
      if (end > buf.length) return undefined
    }
    let text: string
    try {
      text = decoder.decode(buf.subarray(start, end))
    } catch {
      return undefined
    }
    // Valid UTF-8 decodes to fewer UTF-16 units than bytes unless every byte is ASCII, and then
    // each byte is the unit at the same offset.
    if (text.length !== end - start) return undefined
    const out: string[] = []
    let at = 0
    for (let k = 0; k < count; k++) {
      const length = text.charCodeAt(at) | (text.charCodeAt(at + 1) << 8)
      out.push(text.slice(at + 2, at + 2 + length))
      at += 2 + length
    }
    this.pos = end
    return out
  }
}
