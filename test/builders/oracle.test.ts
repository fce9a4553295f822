// Property tests: every drop-in builder against agora-token 2.0.6 itself, with the same arguments,
// clock and salt, compares inflated payloads (Node's zlib deflates differently from ours). The only
// differences allowed are the two documented divergences of room-user tokens, which are asserted
// precisely. agora-token reads `new Date()` and `Math.random()`: for the oracle only, the Date is
// faked and Math.random stubbed; our builders get the same values through an injected source.
import { createRequire } from 'node:module'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  Rtm2Permissions,
  createTokenBuilders,
  decodeToken,
  type DecodedToken007,
} from '../../src/index.js'
import { SIGNATURES, builderFunction, payloadHex, type ArgKind } from '../helpers/builder-calls.js'

const agora = createRequire(import.meta.url)('agora-token')

const ABSOLUTE_FROM = 946_684_800 // 2000-01-01 in Unix seconds
const ABSOLUTE_TO = 4_102_444_800 // 2100-01-01
const U32_MAX = 0xffff_ffff

const hex32 = (digits: string) =>
  fc.string({ unit: fc.constantFrom(...digits), minLength: 32, maxLength: 32 })
const lowerHex32 = hex32('0123456789abcdef')
const anyHex32 = hex32('0123456789abcdefABCDEF')
// Well-formed text: agora-token would replace a lone surrogate with U+FFFD where we refuse it.
const text = (minLength = 0) =>
  fc
    .string({ unit: 'binary', minLength, maxLength: 24 })
    .filter((s) => s !== 'undefined' && s !== 'null')
// Lifetimes the guards accept: not absolute-looking, and not over 24 h and a multiple of 1,000.
const relativeSeconds = fc
  .oneof(
    fc.constantFrom(0, 1, 600, 3600, 86_400, U32_MAX),
    fc.integer({ min: 0, max: ABSOLUTE_FROM - 1 }),
    fc.integer({ min: ABSOLUTE_TO, max: U32_MAX }),
  )
  .filter((s) => s <= 86_400 || s % 1000 !== 0)

const asciiName = fc
  .string({
    unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
    maxLength: 40,
  })
  .filter((s) => s !== 'undefined' && s !== 'null')
const longName = fc.string({ unit: 'grapheme-ascii', minLength: 127, maxLength: 140 })

/** A permission set as a list of add() calls, replayed on both libraries' Rtm2Permissions. */
type Adds = Array<[resourceType: number, permissionType: number, resources: string[]]>
const adds: fc.Arbitrary<Adds> = fc.array(
  fc.tuple(
    fc.integer({ min: 0, max: 6 }),
    fc.integer({ min: 0, max: 2 }),
    fc.oneof(
      fc.array(text(), { maxLength: 4 }),
      // Long lists take one encoder call when every name is short ASCII (ByteWriter.asciiTexts);
      // some have a name beyond ASCII or of 128+ characters, which the one-by-one path writes.
      fc.array(asciiName, { minLength: 16, maxLength: 40 }),
      fc.array(fc.oneof(asciiName, text(), longName), { minLength: 16, maxLength: 40 }),
    ),
  ),
  { maxLength: 5 },
)

// Arguments the guards accept and agora-token handles (it throws on numeric non-RTC user ids).
const GUARDED: Record<ArgKind, fc.Arbitrary<unknown>> = {
  appId: anyHex32,
  appCertificate: lowerHex32,
  name: text(),
  uid: fc.oneof(
    fc.integer({ min: 0, max: U32_MAX }),
    text(1).filter((s) => s !== '0'),
  ),
  user: text(1),
  rtcUser: text(1).filter((s) => s !== '0'),
  permissionUser: fc.oneof(text(1), fc.constant(0)),
  role: fc.constantFrom(1, 2),
  seconds: relativeSeconds,
  optionalSeconds: relativeSeconds,
  apaasRole: fc.integer({ min: -32_768, max: 32_767 }),
  permissions: adds,
}

// With the guards off, agora-token's wider acceptance: any integer role (join-only unless 1),
// empty ids, the uid string "0", upper-case certificates, absolute-looking lifetimes and
// lifetimes that look like milliseconds.
const anySeconds = fc.oneof(
  fc.integer({ min: 0, max: U32_MAX }),
  fc.integer({ min: 87, max: 4_294_967 }).map((s) => s * 1000),
)
const UNGUARDED: Record<ArgKind, fc.Arbitrary<unknown>> = {
  ...GUARDED,
  appCertificate: anyHex32,
  name: fc.oneof(text(), fc.constantFrom('undefined', 'null')),
  uid: fc.oneof(
    fc.integer({ min: 0, max: U32_MAX }),
    text(),
    fc.constantFrom('undefined', 'null', '0'),
  ),
  user: fc.oneof(text(), fc.constantFrom('undefined', 'null')),
  rtcUser: fc.oneof(text(), fc.constantFrom('undefined', 'null', '0')),
  permissionUser: fc.oneof(text(), fc.constantFrom('undefined', 'null', 0)),
  role: fc.integer({ min: -3, max: 120 }),
  seconds: anySeconds,
  optionalSeconds: anySeconds,
}

// agora-token throws in the last second before 2^32 (its issueTs is a float); see builders/index.test.ts.
const clockMs = fc.integer({ min: 0, max: U32_MAX * 1000 })
const salt = fc.integer({ min: 1, max: 99_999_999 })

function argsFor(
  kinds: ReadonlyArray<readonly [string, ArgKind]>,
  values: unknown[],
  Permissions: any,
): unknown[] {
  return kinds.map(([, kind], i) => {
    if (kind !== 'permissions') return values[i]
    const permissions = new Permissions()
    for (const [r, p, names] of values[i] as Adds) permissions.add(r, p, names)
    return permissions
  })
}

function oracle(name: string, args: unknown[], at: number, pinnedSalt: number): string {
  vi.setSystemTime(at)
  // agora-token: salt = floor(Math.random() * 99999999) + 1
  const random = vi.spyOn(Math, 'random').mockReturnValue((pinnedSalt - 0.5) / 99_999_999)
  try {
    return builderFunction(agora, name)(...args)
  } finally {
    random.mockRestore()
  }
}

function decoded(token: string): DecodedToken007 {
  const d = decodeToken(token)
  if (d.version !== '007') throw new Error('expected a 007 token')
  return d
}

/**
 * Room-user tokens: agora-token omits the apaas roomUser privilege and packs role 0 as -1; every
 * other reference (and we) write roomUser = expire and role as given. Everything else is equal.
 */
function expectRoomUserDivergence(ours: string, theirs: string, role: number): void {
  const o = decoded(ours)
  const t = decoded(theirs)
  const { signature: _o, services: oServices, ...oHeader } = o
  const { signature: _t, services: tServices, ...tHeader } = t
  expect(oHeader).toEqual(tHeader)
  const apaasOf = (services: DecodedToken007['services']) =>
    services.find((s) => s.type === 'apaas')!
  expect(apaasOf(tServices)).toMatchObject({ role: role === 0 ? -1 : role })
  expect(apaasOf(tServices).privileges).toEqual({})
  expect(apaasOf(oServices)).toMatchObject({ role, privileges: { roomUser: o.expire } })
  const rest = (services: DecodedToken007['services']) => services.filter((s) => s.type !== 'apaas')
  expect(rest(oServices)).toEqual(rest(tServices))
  expect({ ...apaasOf(oServices), privileges: {}, role: 0 }).toEqual({
    ...apaasOf(tServices),
    role: 0,
  })
}

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
})
afterAll(() => {
  vi.useRealTimers()
})

describe.each([
  ['default builders', GUARDED, {}],
  ['builders with guards off', UNGUARDED, { guards: false }],
] as const)('%s build what agora-token builds', (_label, arbitraries, options) => {
  it.each(Object.entries(SIGNATURES))('%s', (name, signature) => {
    const argsArb = fc.tuple(...signature.map(([, kind]) => arbitraries[kind]))
    fc.assert(
      fc.property(argsArb, clockMs, salt, (values, at, pinnedSalt) => {
        const ours = builderFunction(
          createTokenBuilders({ now: () => at, salt: () => pinnedSalt }, options),
          name,
        )(...argsFor(signature, values, Rtm2Permissions))
        const theirs = oracle(
          name,
          argsFor(signature, values, agora.Rtm2Permissions),
          at,
          pinnedSalt,
        )
        // The oracle really ran with the pinned clock and salt.
        expect(decoded(theirs)).toMatchObject({ issueTs: Math.floor(at / 1000), salt: pinnedSalt })
        if (name.endsWith('.buildRoomUserToken')) {
          expectRoomUserDivergence(ours, theirs, values[4] as number)
        } else {
          expect(payloadHex(ours)).toBe(payloadHex(theirs))
        }
      }),
      { numRuns: 40 },
    )
  })
})
