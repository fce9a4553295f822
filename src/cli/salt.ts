// Random salts for the command line's builds, drawn as the library draws them: uniform in
// 1..99,999,999 from crypto.getRandomValues, a batch of words at a time.

const SALT_MAX = 99_999_999
// The largest multiple of SALT_MAX that fits in 32 bits: words at or above it are redrawn, so
// that every salt is equally likely.
const LIMIT = Math.floor(0x1_0000_0000 / SALT_MAX) * SALT_MAX

const words = new Uint32Array(256)
let next = words.length

/** A uniformly random salt in 1..99,999,999. */
export function randomSalt(): number {
  for (;;) {
    if (next === words.length) {
      crypto.getRandomValues(words)
      next = 0
    }
    const word = words[next++]
    if (word < LIMIT) return 1 + (word % SALT_MAX)
  }
}
