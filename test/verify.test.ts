// Issue 11, finding 5: every argument and option of decodeToken/verifyToken is type- and
// range-checked, refused with ERR_INVALID_ARGUMENT naming it, and nothing but a TokenError ever
// escapes, whatever the arguments (Proxies, throwing getters, sparse arrays, coercible objects).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  MAX_PAYLOAD_BYTES_LIMIT,
  TokenError,
  buildToken,
  buildToken006,
  decodeToken,
  verifyToken,
} from '../src/index.js'

const appId = '970ca35de60c44645bbae8a215061b33'
const cert = '5cfd2fd1755d40ecb72977518be15d3b'
const issueTs = 1_800_000_000
const currentDate = new Date(issueTs * 1000)
const token = buildToken({
  appId,
  appCertificate: cert,
  issueTs,
  salt: 7,
  expire: 3600,
  services: [{ type: 'rtc', channelName: 'room-1', uid: 42, privileges: { joinChannel: 3600 } }],
})
const token006 = buildToken006({
  appId,
  appCertificate: cert,
  channelName: 'room-1',
  uid: 42,
  privileges: { joinChannel: 0 },
  ts: issueTs + 86_400,
})

/** The outcome of fn: 'ok', or the code of the TokenError it threw; anything else fails. */
function outcome(fn: () => unknown): string {
  try {
    fn()
    return 'ok'
  } catch (e) {
    if (e instanceof TokenError) return e.code
    throw e
  }
}
function messageOf(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    if (e instanceof TokenError) return e.message
    throw e
  }
  throw new Error('expected a TokenError')
}

const throwingProxy = () =>
  new Proxy(
    {},
    {
      get() {
        throw new Error('get trap')
      },
      ownKeys() {
        throw new Error('ownKeys trap')
      },
      getPrototypeOf() {
        throw new Error('getPrototypeOf trap')
      },
    },
  )
const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}
const throwingGetter = (key: string) =>
  Object.defineProperty({}, key, {
    enumerable: true,
    get() {
      throw new RangeError(`getter ${key}`)
    },
  })

describe('options are checked strictly (ERR_INVALID_ARGUMENT naming the option)', () => {
  it.each<[string, () => unknown, RegExp]>([
    [
      'maxPayloadBytes above the limit (was an 8 GiB allocation)',
      () => verifyToken(token, cert, { currentDate, maxPayloadBytes: 2 ** 33 }),
      /^options\.maxPayloadBytes: expected an integer 1\.\.16777216/,
    ],
    [
      'maxPayloadBytes above the limit in decodeToken',
      () => decodeToken(token, { maxPayloadBytes: MAX_PAYLOAD_BYTES_LIMIT + 1 }),
      /^options\.maxPayloadBytes/,
    ],
    [
      'clockTolerance 1e300',
      () => verifyToken(token, cert, { currentDate, clockTolerance: 1e300 }),
      /^options\.clockTolerance: expected a number of seconds 0\.\.86400/,
    ],
    [
      'clockTolerance NaN',
      () => verifyToken(token, cert, { currentDate, clockTolerance: Number.NaN }),
      /^options\.clockTolerance/,
    ],
    [
      'a sparse certificate array (was a TypeError)',
      // biome-ignore lint/suspicious/noSparseArray: the hole is the point
      () => verifyToken(token, [, cert] as unknown as string[], { currentDate }),
      /^appCertificate\[0\]: expected 32 hexadecimal characters, got undefined/,
    ],
    [
      'more certificates than the limit',
      () => verifyToken(token, Array(17).fill(cert), { currentDate }),
      /^appCertificate: expected 1\.\.16 certificates/,
    ],
    [
      'require.channelName as an array (was coerced with String())',
      () =>
        verifyToken(token, cert, {
          currentDate,
          require: { service: 'rtc', channelName: ['room-1'] as never },
        }),
      /^options\.require\.channelName: expected a string/,
    ],
    [
      'require.channelName as an object with toString',
      () =>
        verifyToken(token, cert, {
          currentDate,
          require: { service: 'rtc', channelName: { toString: () => 'room-1' } as never },
        }),
      /^options\.require\.channelName: expected a string/,
    ],
    [
      'require.uid as a fraction',
      () => verifyToken(token, cert, { currentDate, require: { service: 'rtc', uid: 4.2 } }),
      /^options\.require\.uid/,
    ],
    [
      'a misspelt option',
      () => verifyToken(token, cert, { currentDate, channelname: 'room-1' } as never),
      /^options\.channelname: not an option here/,
    ],
    [
      'a misspelt requirement field',
      () =>
        verifyToken(token, cert, {
          currentDate,
          require: { service: 'rtc', channel: 'room-1' } as never,
        }),
      /^options\.require\.channel: not an option here/,
    ],
    [
      'a verify option given to decodeToken',
      () => decodeToken(token, { appId } as never),
      /^options\.appId: not an option here/,
    ],
    [
      'allowAnyUid006 as a string',
      () => verifyToken(token, cert, { currentDate, allowAnyUid006: 'yes' as never }),
      /^options\.allowAnyUid006: expected true or false/,
    ],
    ['options null', () => verifyToken(token, cert, null as never), /^options: expected an object/],
    [
      'options an array',
      () => verifyToken(token, cert, [] as never),
      /^options: expected an object/,
    ],
    [
      'a Proxy as options whose traps throw',
      () => verifyToken(token, cert, throwingProxy() as never),
      /^options: its keys could not be listed/,
    ],
    [
      'a revoked Proxy as options',
      () => verifyToken(token, cert, revoked() as never),
      /^options: could not be inspected/,
    ],
    [
      'a getter that throws',
      () => verifyToken(token, cert, throwingGetter('currentDate') as never),
      /^options\.currentDate: could not be read/,
    ],
    [
      'a Proxy of a Date as currentDate',
      () => verifyToken(token, cert, { currentDate: new Proxy(new Date(), {}) }),
      /^options\.currentDate: expected a valid Date/,
    ],
    [
      'a certificate array whose elements throw',
      () =>
        verifyToken(
          token,
          new Proxy([cert], {
            get(target, key) {
              if (key === '0') throw new Error('element')
              return Reflect.get(target, key)
            },
          }),
        ),
      /^appCertificate\.0: could not be read/,
    ],
  ])('%s', (_name, fn, message) => {
    expect(outcome(fn)).toBe('ERR_INVALID_ARGUMENT')
    expect(messageOf(fn)).toMatch(message)
  })

  it('the same checks apply when the token is a 006 token', () => {
    const base = { currentDate, channelName: 'room-1', uid: 42 }
    expect(verifyToken(token006, cert, base).version).toBe('006')
    expect(outcome(() => verifyToken(token006, cert, { ...base, clockTolerance: 1e300 }))).toBe(
      'ERR_INVALID_ARGUMENT',
    )
    expect(outcome(() => verifyToken(token006, cert, { ...base, maxPayloadBytes: 2 ** 40 }))).toBe(
      'ERR_INVALID_ARGUMENT',
    )
  })

  it('a certificate passed as a number or bigint is not printed', () => {
    const digits = '123456789012345678901234567890'
    for (const value of [BigInt(digits), Number(digits)]) {
      const message = messageOf(() => verifyToken(token, value as never))
      expect(message).toMatch(/^appCertificate: expected 32 hexadecimal characters, got a /)
      expect(message).not.toMatch(/\d{5}/)
    }
  })

  it('the bounds themselves are accepted', () => {
    expect(
      verifyToken(token, Array(16).fill(cert), {
        currentDate,
        clockTolerance: 86_400,
        maxPayloadBytes: MAX_PAYLOAD_BYTES_LIMIT,
      }).certificateIndex,
    ).toBe(0)
    expect(decodeToken(token, { maxPayloadBytes: MAX_PAYLOAD_BYTES_LIMIT }).version).toBe('007')
  })
})

/**
 * Values meant to break argument handling, as recipes: fast-check itself inspects what it
 * generates, so Proxies and throwing getters are only made inside the property, by `make`.
 */
type Recipe = { plain: unknown } | { tag: string } | { options: [string, Recipe, boolean, boolean] }
const TAGS = [
  'throwingProxy',
  'revoked',
  'proxyArray',
  'proxyDate',
  'coercible',
  'nullProto',
  'sparse',
] as const
const hostile: fc.Arbitrary<Recipe> = fc.oneof(
  fc
    .anything({ withBigInt: true, withDate: true, withMap: true, withTypedArray: true })
    .map((plain) => ({ plain })),
  fc
    .constantFrom(null, Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 53, 1e300, -1)
    .map((plain) => ({ plain })),
  fc.constantFrom(token, token006, cert, 'room-1', 42).map((plain) => ({ plain })),
  fc.constantFrom(...TAGS).map((tag) => ({ tag })),
)
function make(recipe: Recipe): unknown {
  if ('plain' in recipe) return recipe.plain
  if ('options' in recipe) {
    const [key, value, getter, inRequirement] = recipe.options
    const options: Record<string, unknown> = { currentDate }
    const target: Record<string, unknown> = inRequirement ? { service: 'rtc' } : options
    if (inRequirement) options.require = [target]
    const field = inRequirement
      ? (['privilege', 'channelName', 'uid', 'userId', 'service'] as const)[key.length % 5]
      : key
    if (getter) {
      Object.defineProperties(target, Object.getOwnPropertyDescriptors(throwingGetter(field)))
    } else target[field] = make(value)
    return options
  }
  switch (recipe.tag) {
    case 'throwingProxy':
      return throwingProxy()
    case 'revoked':
      return revoked()
    case 'proxyArray':
      return new Proxy([cert], { get: () => ({}) })
    case 'proxyDate':
      return new Proxy(new Date(), {})
    case 'coercible':
      return { toString: () => 'room-1', valueOf: () => 42 }
    case 'nullProto':
      return Object.create(null)
    default:
      // biome-ignore lint/suspicious/noSparseArray: holes are the point
      return [, cert]
  }
}
const optionKey = fc.constantFrom(
  'maxPayloadBytes',
  'currentDate',
  'clockTolerance',
  'appId',
  'require',
  'zeroPrivilege',
  'channelName',
  'uid',
  'allowAnyUid006',
  'maxFutureIssue',
  'version',
)
/** An options object: real options with one of them hostile or a throwing getter. */
const hostileOptions: fc.Arbitrary<Recipe> = fc.oneof(
  hostile,
  fc
    .tuple(optionKey, hostile, fc.boolean(), fc.boolean())
    .map((options) => ({ options }) as Recipe),
)
const someToken = fc.oneof(
  hostile,
  fc.constantFrom(token, token006).map((plain) => ({ plain })),
)

describe('nothing but a TokenError escapes, for any arguments (property)', () => {
  const RUNS = Number(process.env.PROPERTY_RUNS ?? 300)

  it('verifyToken(hostile token, hostile certificate, hostile options)', () => {
    fc.assert(
      fc.property(
        someToken,
        fc.oneof(hostile, fc.constant({ plain: cert })),
        hostileOptions,
        (t, c, o) => {
          outcome(() => verifyToken(make(t) as string, make(c) as string, make(o) as never))
        },
      ),
      { numRuns: RUNS * 3 },
    )
  })

  it('decodeToken(hostile token, hostile options)', () => {
    fc.assert(
      fc.property(someToken, hostileOptions, (t, o) => {
        outcome(() => decodeToken(make(t) as string, make(o) as never))
      }),
      { numRuns: RUNS * 3 },
    )
  })
})

describe('the version option (issue 12): one version accepted, and typed', () => {
  it('accepts the version asked for and refuses the other with ERR_TOKEN_VERSION', () => {
    expect(verifyToken(token, cert, { currentDate, version: '007' }).services).toHaveLength(1)
    const base = { currentDate, channelName: 'room-1', uid: 42 }
    expect(verifyToken(token006, cert, { ...base, version: '006' }).ts).toBe(issueTs + 86_400)
    expect(outcome(() => verifyToken(token006, cert, { ...base, version: '007' }))).toBe(
      'ERR_TOKEN_VERSION',
    )
    expect(messageOf(() => verifyToken(token006, cert, { ...base, version: '007' }))).toBe(
      'token is a 006 token; options.version asks for 007 only',
    )
    expect(outcome(() => verifyToken(token, cert, { currentDate, version: '006' }))).toBe(
      'ERR_TOKEN_VERSION',
    )
    expect(decodeToken(token, { version: '007' }).services).toHaveLength(1)
    expect(decodeToken(token006, { version: '006' }).privileges).toEqual({ joinChannel: 0 })
    expect(outcome(() => decodeToken(token006, { version: '007' }))).toBe('ERR_TOKEN_VERSION')
  })

  it('is checked', () => {
    expect(outcome(() => decodeToken(token, { version: '7' as never }))).toBe(
      'ERR_INVALID_ARGUMENT',
    )
    expect(messageOf(() => verifyToken(token, cert, { version: 7 as never }))).toMatch(
      /^options\.version: expected '007' or '006', got 7/,
    )
  })

  it('a decoded 006 token has expiresAt, its ts as a Date', () => {
    expect(decodeToken(token006).expiresAt).toEqual(new Date((issueTs + 86_400) * 1000))
  })
})
