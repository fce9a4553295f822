// The runtime's own HMAC-SHA256 and base64 encoder and decoder, where it has them: node:crypto and
// node:buffer in Node, Bun and Deno, found at run time through `process.getBuiltinModule`, so
// that the root entry imports nothing from `node:` and still runs on Web APIs alone (workerd,
// browsers), where this finds nothing and the pure paths are used. A native call has a fixed cost
// (a call into C++ and a Buffer), so it only pays for long inputs; its callers decide where.

/** The part of node:crypto's Hmac used here. */
interface RuntimeHmac {
  update(data: Uint8Array): RuntimeHmac
  digest(): Uint8Array
}

/** The part of node:crypto used here. */
interface RuntimeCrypto {
  createHmac(algorithm: 'sha256', key: Uint8Array): RuntimeHmac
}

/** The part of a node:buffer Buffer used here. */
interface RuntimeBytes {
  readonly buffer: ArrayBufferLike
  readonly byteOffset: number
  readonly length: number
  toString(encoding: 'base64', start?: number, end?: number): string
}

/** The part of node:buffer used here. */
interface RuntimeBuffer {
  Buffer: {
    from(text: string, encoding: 'base64'): RuntimeBytes
    from(memory: ArrayBufferLike): RuntimeBytes
  }
}

interface ProcessWithBuiltins {
  getBuiltinModule?: (id: string) => unknown
}

let runtimeCrypto: RuntimeCrypto | null | undefined
let runtimeBuffer: RuntimeBuffer | null | undefined

/** node:crypto when the runtime offers it without a static import, else null (looked up once). */
export function nativeCrypto(): RuntimeCrypto | null {
  if (runtimeCrypto === undefined) {
    const found = lookUp('node:crypto') as Partial<RuntimeCrypto> | null
    runtimeCrypto = typeof found?.createHmac === 'function' ? (found as RuntimeCrypto) : null
  }
  return runtimeCrypto
}

/** node:buffer when the runtime offers it without a static import, else null (looked up once). */
function nativeBuffer(): RuntimeBuffer | null {
  if (runtimeBuffer === undefined) {
    const found = lookUp('node:buffer') as Partial<RuntimeBuffer> | null
    runtimeBuffer = typeof found?.Buffer?.from === 'function' ? (found as RuntimeBuffer) : null
  }
  return runtimeBuffer
}

function lookUp(id: string): unknown {
  try {
    const proc = (globalThis as { process?: ProcessWithBuiltins }).process
    return proc?.getBuiltinModule?.(id) ?? null
  } catch {
    // A runtime whose process object refuses the lookup: the pure path serves.
    return null
  }
}

/**
 * `text` from `start` on decoded by the runtime's base64 decoder, when the runtime has one and
 * the text is canonical standard base64 (what `decodeBase64` accepts); undefined otherwise, and
 * then the caller decodes with `decodeBase64`, which also says what is wrong. The runtime's
 * decoder is lenient (it skips characters outside the alphabet and accepts missing padding and
 * non-zero trailing bits), so its result is only taken when encoding it gives back exactly the
 * text: the encoder writes canonical base64 only, and canonical base64 decodes to one byte
 * sequence.
 */
export function decodeBase64Natively(text: string, start: number): Uint8Array | undefined {
  const native = nativeBuffer()
  if (native === null) return undefined
  const body = text.slice(start)
  const bytes = native.Buffer.from(body, 'base64')
  if (bytes.toString('base64') !== body) return undefined
  // A plain view, so that the inflater sees one kind of array whichever decoder made it.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)
}

/** The memory {@link encodedView} covers, and that Buffer (sharing the memory, not a copy). */
let encodedMemory: ArrayBufferLike | undefined
let encodedView: RuntimeBytes | undefined

/**
 * `bytes` as standard, padded base64 by the runtime's encoder, or undefined where the runtime
 * has none. The Buffer over the bytes' memory is kept for the next call: a token's stream is a
 * view of the deflater's reused output buffer, so after the first build no Buffer is made, and
 * the encoding is one native call (a build spent about twice as long in the pure encoder and the
 * TextDecoder that turns its characters into a string).
 */
export function encodeBase64Natively(bytes: Uint8Array): string | undefined {
  const native = nativeBuffer()
  if (native === null) return undefined
  const start = bytes.byteOffset
  const end = start + bytes.length
  let view = encodedView
  // A Buffer has the length its memory had when it was made (resizable memory may have grown).
  if (bytes.buffer !== encodedMemory || view === undefined || view.length < end) {
    view = native.Buffer.from(bytes.buffer)
    encodedView = view
    encodedMemory = bytes.buffer
  }
  return view.toString('base64', start, end)
}
