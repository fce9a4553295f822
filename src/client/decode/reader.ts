// Little-endian fields of a token payload (docs/format.md, "Conventions"); reading past the end
// is a TokenMalformed.
import { TokenMalformed } from '../../index.js'

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Reads a payload from its start. */
export interface Reader {
  u16(): number
  u32(): number
  /** u16 length, then that many bytes (a view). */
  bytes(): Uint8Array
  /** u16 length, then that many bytes of UTF-8. */
  text(): string
  /** Refuses bytes after the last field; `what` names the payload in the error. */
  end(what: string): void
}

/** A reader of `payload`. */
export function reader(payload: Uint8Array): Reader {
  let pos = 0
  const take = (n: number) => {
    if (pos + n > payload.length)
      throw new TokenMalformed(`token payload is cut short at byte ${pos}`)
    pos += n
    return payload.subarray(pos - n, pos)
  }
  const u16 = () => {
    const b = take(2)
    return b[0] | (b[1] << 8)
  }
  const bytes = () => take(u16())
  return {
    u16,
    u32: () => (u16() | (u16() << 16)) >>> 0,
    bytes,
    text() {
      const raw = bytes()
      try {
        return utf8.decode(raw)
      } catch {
        throw new TokenMalformed(`token text before byte ${pos} is not UTF-8`)
      }
    },
    end(what) {
      if (pos < payload.length)
        throw new TokenMalformed(
          `token ${what} has ${payload.length - pos} bytes after its last field`,
        )
    },
  }
}

/**
 * Reads a u16 id and names it from `names` (or in decimal); the name must not be in `seen` yet.
 * @param what names the kind of key in the error, e.g. `privilege`
 */
export function readKey(
  r: Reader,
  names: Readonly<Record<number, string>>,
  seen: object,
  what: string,
): string {
  const id = r.u16()
  const name = names[id] ?? String(id)
  if (name in seen) throw new TokenMalformed(`token lists ${what} ${name} twice`)
  return name
}
