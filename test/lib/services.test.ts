import { describe, expect, it } from 'vitest'
import { decodeToken, SERVICE_TYPES } from '../../src/index.js'
import { SERVICE_NAMES, vectorFiles } from '../helpers/vectors.js'

describe('SERVICE_TYPES', () => {
  it('names every service type of the format in type-id order', () => {
    expect(SERVICE_TYPES).toEqual(
      Object.keys(SERVICE_NAMES)
        .map(Number)
        .sort((a, b) => a - b)
        .map((id) => SERVICE_NAMES[id]),
    )
    expect(Object.isFrozen(SERVICE_TYPES)).toBe(true)
  })

  it('SERVICE_TYPES[id - 1] is the type a vector service of that id decodes to', () => {
    let checked = 0
    for (const { vectors } of vectorFiles('accesstoken2')) {
      for (const v of vectors) {
        const decoded = decodeToken(v.token)
        if (decoded.version !== '007') continue
        // Services are written sorted by type, so compare the two lists sorted.
        const expected = v.services.map((s: { type: number }) => SERVICE_TYPES[s.type - 1]).sort()
        expect(decoded.services.map((s) => s.type).sort()).toEqual(expected)
        checked += expected.length
      }
    }
    expect(checked).toBeGreaterThan(1000)
  })
})
