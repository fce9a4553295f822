// Salts come from the platform CSPRNG (crypto.getRandomValues), never Math.random.

/** The largest salt the references generate (they draw from 1..99,999,999). */
export const SALT_MAX = 99_999_999

const word = new Uint32Array(1)
// Rejection sampling keeps the draw uniform: values at or above LIMIT would favour small salts.
const LIMIT = Math.floor(0x1_0000_0000 / SALT_MAX) * SALT_MAX

/** A uniformly random integer in 1..99,999,999. */
export function randomSalt(): number {
  for (;;) {
    crypto.getRandomValues(word)
    if (word[0] < LIMIT) return (word[0] % SALT_MAX) + 1
  }
}

/** The current Unix time in whole seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}
