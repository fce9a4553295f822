// Salts: uniform in 1..99,999,999, from the CSPRNG, a fresh word for every salt.
import { expect, it, vi } from 'vitest'
import { SALT_MAX, randomSalt } from '../../src/lib/random.js'

it('stays in 1..99,999,999 and spreads evenly over ten equal ranges', () => {
  const counts = new Array(10).fill(0)
  const n = 50_000
  const seen = new Set<number>()
  for (let i = 0; i < n; i++) {
    const salt = randomSalt()
    expect(Number.isInteger(salt) && salt >= 1 && salt <= SALT_MAX).toBe(true)
    counts[Math.floor(((salt - 1) / SALT_MAX) * 10)]++
    seen.add(salt)
  }
  for (const c of counts) expect(Math.abs(c - n / 10)).toBeLessThan((n / 10) * 0.06) // > 8 sigma
  expect(seen.size).toBeGreaterThan(n - 50)
})

it('draws from crypto.getRandomValues, in batches', () => {
  const spy = vi.spyOn(crypto, 'getRandomValues')
  // 256 words per call, and a salt takes one word (rarely two: rejection sampling).
  for (let i = 0; i < 1000; i++) randomSalt()
  expect(spy.mock.calls.length).toBeGreaterThanOrEqual(3)
  expect(spy.mock.calls.length).toBeLessThanOrEqual(5)
  for (const [array] of spy.mock.calls) expect((array as Uint32Array).length).toBe(256)
  spy.mockRestore()
})
