// Canonical standard base64 with padding (RFC 4648 §4), as the library's decoder accepts it
// (src/lib/base64.ts): one text per byte string. The platform's atob is lenient (whitespace,
// missing padding, non-zero bits in the last character), so a text is accepted only when btoa
// gives it back: exactly the canonical texts are btoa's outputs.
import { TokenMalformed } from '../../index.js'

/**
 * The bytes of `text` from `start` on.
 * @throws TokenMalformed when they are not canonical base64
 */
export function readBase64(text: string, start: number): Uint8Array {
  const body = text.slice(start)
  let binary: string | undefined
  try {
    binary = atob(body)
  } catch {}
  if (binary === undefined || btoa(binary) !== body)
    throw new TokenMalformed('token body is not canonical base64')
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}
