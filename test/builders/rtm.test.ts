// RtmTokenBuilder.buildTokenWithPermissions copies the permission details before building: plain
// data is copied directly, anything else through a JSON round trip. Both must give the same
// result (the same token, or the same error) for every input.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Rtm2Permissions, createTokenBuilders } from '../../src/index.js'

const appId = '970ca35de60c44645bbae8a215061b33'
const appCertificate = '5cfd2fd1755d40ecb72977518be15d3b'
const builders = createTokenBuilders({ now: () => 1_750_000_000_000, salt: () => 7 })
const RUNS = Number(process.env.PROPERTY_RUNS ?? 300)

/** The token, or the error's class and message. */
function outcome(permissions: unknown): string {
  try {
    return builders.RtmTokenBuilder.buildTokenWithPermissions(
      appId,
      appCertificate,
      'alice',
      permissions as Rtm2Permissions,
      3600,
    )
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`
  }
}

/** The same details sent through the JSON round trip: a toJSON returns them. */
const throughJson = (details: unknown) => ({ details: { toJSON: () => details } })

const key = fc.oneof(
  fc.nat({ max: 70_000 }).map(String),
  fc.constantFrom('0', '1', '4', 'channels', '1.5', '-1', '01', 'toString', 'constructor'),
)
const name = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('lobby', '\uD800', '\uDC00x', ''),
)
const names = fc.oneof(
  { weight: 8, arbitrary: fc.array(name, { maxLength: 5 }) },
  {
    weight: 1,
    arbitrary: fc.array(fc.oneof(name, fc.integer(), fc.constant(null)), { maxLength: 4 }),
  },
  { weight: 1, arbitrary: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) },
)
const details = fc.dictionary(key, fc.dictionary(key, names, { maxKeys: 3 }), { maxKeys: 3 })

describe('the copy of the permission details', () => {
  it('gives the same token or error as the JSON round trip, for any details', () => {
    fc.assert(
      fc.property(details, (d) => {
        expect(outcome({ details: d })).toBe(outcome(throughJson(d)))
      }),
      { numRuns: RUNS },
    )
  })

  it('agrees on the shapes plain data can hide', () => {
    const sparse: string[] = []
    sparse[2] = 'lobby'
    const withUndefined = { 0: { 0: ['a'], 1: undefined } }
    const cases: unknown[] = [
      JSON.parse('{"__proto__": {"0": ["a"]}}'),
      JSON.parse('{"0": {"__proto__": ["a"]}}'),
      { 0: { 0: sparse } },
      withUndefined,
      { 0: { 0: ['a', undefined] } },
      { 0: Object.assign(Object.create(null), { 0: ['a'] }) },
      { 0: { 0: Object.assign(['a'], { extra: 1 }) } },
      { 0: { 0: new Date(0) } },
      { 0: { 0: ['a'], toJSON: () => ({ 0: ['b'] }) } },
    ]
    for (const d of cases) expect(outcome({ details: d })).toBe(outcome(throughJson(d)))
  })

  it('builds from an Rtm2Permissions exactly as from its details', () => {
    const p = new Rtm2Permissions()
    p.add(0, 0, ['lobby', 'news'])
    p.add(1, 0, ['stage'])
    const token = outcome(p)
    expect(token.startsWith('007')).toBe(true)
    expect(token).toBe(outcome(throughJson(p.details)))
  })
})
