// Mutations of real tokens, shared by the property tests and `npm run fuzz`. Each takes a token
// and a source of random integers and returns a different string.
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='
const EXTRA = ' \n-_.*!é\u0000'

/** @param {string} token @param {(n: number) => number} rand uniform integer in 0..n-1 */
export function mutateText(token, rand) {
  const pos = rand(token.length + 1)
  switch (rand(5)) {
    case 0: {
      // replace one character with a different one
      const p = Math.min(pos, token.length - 1)
      const alphabet = rand(8) === 0 ? EXTRA : B64
      let c = alphabet[rand(alphabet.length)]
      if (c === token[p]) c = c === 'A' ? 'B' : 'A'
      return token.slice(0, p) + c + token.slice(p + 1)
    }
    case 1:
      return token.slice(0, pos) + (B64 + EXTRA)[rand(B64.length + EXTRA.length)] + token.slice(pos)
    case 2:
      return (
        token.slice(0, Math.min(pos, token.length - 1)) +
        token.slice(Math.min(pos, token.length - 1) + 1)
      )
    case 3:
      return token.slice(0, Math.min(pos, token.length - 1))
    default:
      return token + B64[rand(64)].repeat(1 + rand(8))
  }
}

/** Byte-level mutation of a buffer: flip, set, insert, delete or truncate. */
export function mutateBytes(bytes, rand) {
  const out = Array.from(bytes)
  const n = 1 + rand(3)
  for (let i = 0; i < n; i++) {
    const pos = rand(out.length + 1)
    switch (rand(5)) {
      case 0:
        if (out.length) out[Math.min(pos, out.length - 1)] ^= 1 << rand(8)
        break
      case 1:
        if (out.length) out[Math.min(pos, out.length - 1)] = rand(256)
        break
      case 2:
        out.splice(pos, 0, rand(256))
        break
      case 3:
        out.splice(pos, 1)
        break
      default:
        out.length = Math.min(out.length, pos)
    }
  }
  return Uint8Array.from(out)
}
