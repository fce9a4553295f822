// Hostile arguments, thrown at every position of every drop-in builder: each must end in an
// InvalidArgument (ERR_INVALID_ARGUMENT) naming the argument — never a token, never another error,
// never the certificate in the message.
import { describe, expect, it } from 'vitest'
import { InvalidArgument, Rtm2Permissions, createTokenBuilders } from '../../src/index.js'
import { SIGNATURES, builderFunction, type ArgKind } from '../helpers/builder-calls.js'

const appId = '970ca35de60c44645bbae8a215061b33'
const appCertificate = '5cfd2fd1755d40ecb72977518be15d3b'
const builders = createTokenBuilders({ now: () => 1_750_000_000_000, salt: () => 1 })

const VALID: Record<ArgKind, () => unknown> = {
  appId: () => appId,
  appCertificate: () => appCertificate,
  name: () => 'room-1',
  uid: () => 42,
  user: () => 'alice',
  rtcUser: () => 'alice',
  permissionUser: () => 'alice',
  role: () => 1,
  seconds: () => 600,
  optionalSeconds: () => 600,
  apaasRole: () => 1,
  permissions: () => new Rtm2Permissions(),
}

const trap = () => {
  throw new Error('trap')
}
const throwingProxy = new Proxy(
  {},
  { get: trap, has: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap },
)

/** Wrong for every argument. */
const ANYWHERE: Array<[string, unknown]> = [
  ['null', null],
  ['NaN', Number.NaN],
  ['true', true],
  ['{}', {}],
  ['[]', []],
  ['a Proxy', new Proxy({}, {})],
  ['a Proxy whose traps throw', throwingProxy],
  ['a function', () => 1],
  ['a symbol', Symbol('x')],
  ['a bigint', 1n],
  ['a Date', new Date(0)],
  ['a String object', new String('alice')],
]

const NOT_INTEGERS: Array<[string, unknown]> = [
  ['-1', -1],
  ['1.5', 1.5],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['1e21', 1e21],
]

const BAD_STRINGS: Array<[string, unknown]> = [
  ['a lone surrogate', 'a\uD800b'],
  ['65536 bytes of text', 'x'.repeat(65_536)],
]

const HOSTILE: Record<ArgKind, Array<[string, unknown]>> = {
  appId: [
    ['undefined', undefined],
    ["''", ''],
    ["'undefined'", 'undefined'],
    ['31 hex', appId.slice(1)],
    ['33 hex', appId + 'a'],
    ['32 non-hex', 'g'.repeat(32)],
    ['hex with a space', ` ${appId.slice(1)}`],
    ['a number', 970],
  ],
  appCertificate: [
    ['undefined', undefined],
    ["''", ''],
    ["'null'", 'null'],
    ['31 hex', appCertificate.slice(1)],
    ['32 non-hex', 'z'.repeat(32)],
    ['fullwidth digits', '０'.repeat(32)],
    ['upper-case hex', appCertificate.toUpperCase()],
  ],
  name: [
    ['undefined', undefined],
    ["'undefined'", 'undefined'],
    ["'null'", 'null'],
    ['a number', 42],
    ...BAD_STRINGS,
  ],
  uid: [
    ['undefined', undefined],
    ["''", ''],
    ["'undefined'", 'undefined'],
    ["'null'", 'null'],
    ["'0' (from a query string)", '0'],
    ['2^32', 2 ** 32],
    ['MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER],
    ...NOT_INTEGERS,
    ...BAD_STRINGS,
  ],
  user: [],
  rtcUser: [],
  permissionUser: [],
  role: [
    ['undefined', undefined],
    ['0', 0],
    ['3', 3],
    ['101 (the old ADMIN role)', 101],
    ["'1'", '1'],
    ["'publisher'", 'publisher'],
    ...NOT_INTEGERS,
  ],
  seconds: [
    ['undefined', undefined],
    ['an absolute time', 1_795_000_000],
    ['2000-01-01', 946_684_800],
    ['the last second before 2100', 4_102_444_799],
    ['an absolute time in ms', 1_795_000_000_000],
    ['2 hours in ms beyond uint32', 7_200_000_000],
    ['1 hour in ms', 3_600_000],
    ['25 hours in ms', 90_000_000],
    ['2^32', 2 ** 32],
    ["'3600'", '3600'],
    ...NOT_INTEGERS,
  ],
  optionalSeconds: [],
  // -1 is a valid APaaS role (the one user and app tokens carry).
  apaasRole: [
    ['undefined', undefined],
    ['32768', 32_768],
    ['-32769', -32_769],
    ["'1'", '1'],
    ...NOT_INTEGERS.filter(([, v]) => v !== -1),
  ],
  permissions: [
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'messageChannels'],
    ['details not an object', { details: 5 }],
    ['details null', { details: null }],
    ['a resource list that is a string', { details: { 0: { 0: 'lobby' } } }],
    ['a resource name that is a number', { details: { 0: { 0: [1] } } }],
    ['an unknown resource type name', { details: { channels: { 0: ['a'] } } }],
    ['a permission type beyond uint16', { details: { 0: { 70000: ['a'] } } }],
    ['a resource name with a lone surrogate', { details: { 0: { 0: ['\uDC00'] } } }],
    [
      'a details getter that throws',
      Object.defineProperty({}, 'details', { get: trap, enumerable: true }),
    ],
  ],
}
HOSTILE.rtcUser = [...HOSTILE.uid, ['0 (an empty user id)', 0]]
HOSTILE.user = HOSTILE.uid.filter(([, v]) => v !== '0').concat([['0 (an empty user id)', 0]])
// 0 is the wildcard user of a permissions token; '' stays refused.
HOSTILE.permissionUser = HOSTILE.uid.filter(([, v]) => v !== '0')
HOSTILE.optionalSeconds = HOSTILE.seconds.filter(([, v]) => v !== undefined)

function outcome(call: () => unknown): unknown {
  try {
    return { returned: call() }
  } catch (error) {
    return error
  }
}

describe.each(Object.entries(SIGNATURES))('%s', (name, signature) => {
  const fn = builderFunction(builders, name)
  const valid = () => signature.map(([, kind]) => VALID[kind]())

  it('builds a token from the valid baseline', () => {
    expect(fn(...valid())).toMatch(/^007/)
  })

  const cases = signature.flatMap(([arg, kind], i) =>
    [...ANYWHERE, ...HOSTILE[kind]].map(
      ([label, value]) => [`${arg} = ${label}`, i, arg, value] as const,
    ),
  )

  it.each(cases)('%s', (_label, index, arg, value) => {
    const args = valid()
    args[index] = value
    const error = outcome(() => fn(...args))
    expect(error).toBeInstanceOf(InvalidArgument)
    const { code, message } = error as InvalidArgument
    expect(code).toBe('ERR_INVALID_ARGUMENT')
    expect(message).toContain(arg)
    expect(message).not.toContain(appCertificate)
  })
})

it('a missing trailing argument is refused, not defaulted (except privilegeExpire)', () => {
  expect(() =>
    (builders.RtcTokenBuilder.buildTokenWithUid as any)(appId, appCertificate, 'c', 1, 1),
  ).toThrow(/^tokenExpire: /)
  expect(() => (builders.RtmTokenBuilder.buildToken as any)(appId, appCertificate, 'u')).toThrow(
    /^expire: /,
  )
})
