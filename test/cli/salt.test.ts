// The command line's random salts (src/cli/salt.ts): the references' range, every value
// possible, no visible bias.
import { describe, expect, it } from 'vitest'
import { randomSalt } from '../../src/cli/salt.js'

describe('randomSalt', () => {
  it('draws integers in 1..99,999,999, spread evenly over ten bands', () => {
    const draws = 100_000
    const bands = new Array(10).fill(0)
    const seen = new Set<number>()
    for (let n = 0; n < draws; n++) {
      const salt = randomSalt()
      expect(Number.isInteger(salt) && salt >= 1 && salt <= 99_999_999).toBe(true)
      bands[Math.floor((salt - 1) / 10_000_000)]++
      seen.add(salt)
    }
    // Each band expects 10,000 draws (sd ≈ 95): 10,600 is more than 6 sd away.
    for (const count of bands) expect(Math.abs(count - draws / 10)).toBeLessThan(600)
    // 100,000 draws from 10^8 values: about 50 collisions expected, not thousands.
    expect(seen.size).toBeGreaterThan(draws - 500)
  })
})
