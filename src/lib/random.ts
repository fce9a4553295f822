// Salts come from the platform CSPRNG (crypto.getRandomValues), never Math.random.

/** The largest salt the references generate (they draw from 1..99,999,999). */
export const SALT_MAX = 99_999_999

// Rejection sampling keeps the draw uniform: values at or above LIMIT would favour small salts.
const LIMIT = Math.floor(0x1_0000_0000 / SALT_MAX) * SALT_MAX

// Each getRandomValues call has a fixed cost far above that of one word, so words are drawn 256
// at a time and handed out one by one (each word is used once).
const BATCH = 256
let words: Uint32Array | undefined
let next = BATCH

function randomWord(): number {
  if (next === BATCH) {
    words ??= new Uint32Array(BATCH)
    crypto.getRandomValues(words)
    next = 0
  }
  const word = words![next]
  words![next++] = 0
  return word
}

/** A uniformly random integer in 1..99,999,999. */
export function randomSalt(): number {
  for (;;) {
    const word = randomWord()
    if (word < LIMIT) return (word % SALT_MAX) + 1
  }
}
