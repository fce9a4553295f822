import { afterEach, expect, it, vi } from 'vitest'
import { nowSeconds } from '../../src/lib/clock.js'

afterEach(() => {
  vi.useRealTimers()
})

it('nowSeconds is the Unix time in whole seconds, rounded down', () => {
  vi.useFakeTimers()
  vi.setSystemTime(1_750_000_000_999)
  expect(nowSeconds()).toBe(1_750_000_000)
  vi.setSystemTime(1_750_000_001_000)
  expect(nowSeconds()).toBe(1_750_000_001)
})
