// buildToken: the raw layer accepts every value the format can carry and names the field of
// anything it cannot.
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  InvalidArgument,
  TokenError,
  TokenTooLarge,
  buildToken,
  decodeToken,
  rtmToken,
  type Service,
  verifyToken,
} from '../../../src/index.js'

/** The inflated payload of a 007 token. */
const payloadOf = (token: string): Uint8Array => inflateSync(Buffer.from(token.slice(3), 'base64'))

const appId = '970ca35de60c44645bbae8a215061b33'
const appCertificate = '5cfd2fd1755d40ecb72977518be15d3b'
const rtc = {
  type: 'rtc',
  channelName: 'room-1',
  uid: 42,
  privileges: { joinChannel: 3600 },
} as const

function build(overrides: Record<string, unknown>): string {
  return buildToken({ appId, appCertificate, expire: 3600, services: [rtc], ...overrides } as never)
}

function decoded007(token: string) {
  const d = decodeToken(token)
  if (d.version !== '007') throw new Error('expected a 007 token')
  return d
}

describe('defaults', () => {
  it('issueTs defaults to the current Unix second', () => {
    const before = Math.floor(Date.now() / 1000)
    const { issueTs } = decoded007(build({}))
    expect(issueTs).toBeGreaterThanOrEqual(before)
    expect(issueTs).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))
  })

  it('salt defaults to a random value in 1..99,999,999', () => {
    const salts = new Set<number>()
    for (let i = 0; i < 200; i++) {
      const { salt } = decoded007(build({ issueTs: 1 }))
      expect(salt).toBeGreaterThanOrEqual(1)
      expect(salt).toBeLessThanOrEqual(99_999_999)
      salts.add(salt)
    }
    expect(salts.size).toBeGreaterThan(190)
  })
})

describe('the format carries', () => {
  it.each([
    ['expire 0', { expire: 0 }],
    ['expire 2^32-1', { expire: 0xffffffff }],
    ['issueTs 0', { issueTs: 0 }],
    ['salt 0 and 2^32-1', { salt: 0xffffffff }],
  ])('%s', (_name, overrides) => {
    const d = decoded007(build(overrides))
    for (const [k, v] of Object.entries(overrides)) expect(d[k as 'expire']).toBe(v)
  })

  it('uid 0 as the empty string, the string "0" as "0", and numbers in decimal', () => {
    const d = decoded007(
      build({
        services: [
          { type: 'rtc', channelName: 'a', uid: 0, privileges: {} },
          { type: 'rtc', channelName: 'b', uid: '0', privileges: {} },
          { type: 'rtc', channelName: 'c', uid: 4294967295, privileges: {} },
          { type: 'rtm', userId: 0, privileges: {} },
        ],
      }),
    )
    expect(d.services.map((s) => ('uid' in s ? s.uid : s.type === 'rtm' ? s.userId : ''))).toEqual([
      '',
      '0',
      '4294967295',
      '',
    ])
  })

  it('privilege ids the format does not name, by decimal id', () => {
    const d = decoded007(
      build({
        services: [
          {
            type: 'rtc',
            channelName: 'a',
            uid: 1,
            privileges: { '9': 1, '40000': 2, joinChannel: 3 },
          },
        ],
      }),
    )
    expect(d.services[0].privileges).toEqual({ joinChannel: 3, '9': 1, '40000': 2 })
  })

  it('privileges in id order, whatever order they are given in', () => {
    const names = [
      'publishDataStream',
      'joinChannel',
      'publishVideoStream',
      'publishAudioStream',
    ] as const
    const tokens = new Set<string>()
    for (let rotation = 0; rotation < names.length; rotation++) {
      const order = [...names.slice(rotation), ...names.slice(0, rotation)]
      for (const keys of [order, [...order].reverse()]) {
        const privileges = Object.fromEntries(keys.map((name) => [name, 100 + names.indexOf(name)]))
        tokens.add(build({ issueTs: 1_700_000_000, salt: 7, services: [{ ...rtc, privileges }] }))
      }
    }
    expect(tokens.size).toBe(1)
    // The wire order: ids 1, 2, 3, 4 right after the service type and the privilege count.
    const payload = inflateSync(Buffer.from([...tokens][0].slice(3), 'base64'))
    const at = 2 + 32 + 2 + 32 + 12 + 2 + 2 + 2
    const ids = [0, 1, 2, 3].map((i) => payload.readUInt16LE(at + 6 * i))
    expect(ids).toEqual([1, 2, 3, 4])
  })

  it('services sorted by type, equal types in insertion order', () => {
    const d = decoded007(
      build({
        services: [
          { type: 'chat', userId: 'x', privileges: { user: 1 } },
          { type: 'rtc', channelName: 'first', uid: 1, privileges: {} },
          { type: 'convoai', privileges: {} },
          { type: 'rtc', channelName: 'second', uid: 1, privileges: {} },
        ],
      }),
    )
    expect(d.services.map((s) => ('channelName' in s ? s.channelName : s.type))).toEqual([
      'first',
      'second',
      'chat',
      'convoai',
    ])
  })

  it('two services sorted by type, equal types in insertion order', () => {
    const rtm = { type: 'rtm', userId: 'u', privileges: { login: 1 } } as const
    const first = { type: 'rtc', channelName: 'first', uid: 1, privileges: {} } as const
    const second = { ...first, channelName: 'second' }
    const names = (services: Service[]) =>
      decoded007(build({ services })).services.map((s) =>
        'channelName' in s ? s.channelName : s.type,
      )
    expect(names([rtm, first])).toEqual(['first', 'rtm'])
    expect(names([first, rtm])).toEqual(['first', 'rtm'])
    expect(names([second, first])).toEqual(['second', 'first'])
    const pinned = { issueTs: 1_700_000_000, salt: 7 }
    expect(build({ services: [rtm, first], ...pinned })).toBe(
      build({ services: [first, rtm], ...pinned }),
    )
  })

  it('with two services, the invalid one is reported where sorting puts it', () => {
    const rtm = { type: 'rtm', userId: 'u', privileges: { login: 1 } } as const
    const bad = { type: 'nope', privileges: {} } as unknown as Service
    expect(() => build({ services: [rtm, bad] })).toThrow(/^services\[1\]\.type: /)
    expect(() => build({ services: [bad, rtm] })).toThrow(/^services\[0\]\.type: /)
    expect(() => build({ services: [bad, bad] })).toThrow(/^services\[0\]\.type: /)
  })

  it('a string of exactly 65,535 UTF-8 bytes', () => {
    const channelName = '한'.repeat(21845) // 3 bytes each
    const d = decoded7WithLimit(build({ services: [{ ...rtc, channelName }] }))
    expect(d.services[0]).toMatchObject({ channelName })
  })

  it('APaaS roles as signed 16-bit integers', () => {
    for (const role of [-32768, -1, 0, 32767]) {
      const d = decoded007(
        build({
          services: [{ type: 'apaas', roomUuid: 'r', userUuid: 'u', role, privileges: {} }],
        }),
      )
      expect(d.services[0]).toMatchObject({ role })
    }
  })
})

function decoded7WithLimit(token: string) {
  const d = decodeToken(token, { maxPayloadBytes: 1 << 20 })
  if (d.version !== '007') throw new Error('expected a 007 token')
  return d
}

describe('refuses what the format cannot carry, naming the field', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      'appId too short',
      { appId: 'abc' },
      /^appId: expected 32 hexadecimal characters, got the string "abc"$/,
    ],
    [
      'appId missing',
      { appId: undefined },
      /^appId: expected 32 hexadecimal characters, got undefined \(is the environment variable that should hold it set\?\)$/,
    ],
    [
      'certificate not hex',
      { appCertificate: 'z'.repeat(32) },
      /^appCertificate: expected 32 hexadecimal characters, got a string of 32 characters that are not all hexadecimal$/,
    ],
    ['certificate empty', { appCertificate: '' }, /^appCertificate: .*environment variable/],
    ['expire negative', { expire: -1 }, /^expire: expected an integer 0\.\.4294967295, got -1$/],
    [
      'expire fractional',
      { expire: 1.5 },
      /^expire: expected an integer 0\.\.4294967295, got 1\.5$/,
    ],
    ['expire NaN', { expire: NaN }, /^expire: .* got NaN$/],
    ['expire beyond uint32', { expire: 2 ** 32 }, /^expire: /],
    [
      'issueTs as a string',
      { issueTs: '1' },
      /^issueTs: expected an integer .* got the string "1"$/,
    ],
    ['salt negative', { salt: -5 }, /^salt: /],
    ['no services', { services: [] }, /^services: expected a non-empty array/],
    ['services not an array', { services: {} }, /^services: expected a non-empty array/],
    [
      'unknown service type',
      { services: [{ type: 'video', privileges: {} }] },
      /^services\[0\]\.type: expected one of 'rtc', /,
    ],
    [
      'uid negative',
      { services: [rtc, { ...rtc, uid: -1 }] },
      /^services\[1\]\.uid: expected an integer 0\.\.4294967295 or a string, got -1$/,
    ],
    ['uid fractional', { services: [{ ...rtc, uid: 1.5 }] }, /^services\[0\]\.uid: /],
    ['uid null', { services: [{ ...rtc, uid: null }] }, /^services\[0\]\.uid: .* got null$/],
    [
      'channelName a number',
      { services: [{ ...rtc, channelName: 5 }] },
      /^services\[0\]\.channelName: expected a string, got 5$/,
    ],
    [
      'string too long',
      { services: [{ ...rtc, channelName: 'x'.repeat(65536) }] },
      /^services\[0\]\.channelName: is 65536 UTF-8 bytes long; the format allows at most 65535$/,
    ],
    [
      'lone surrogate',
      { services: [{ ...rtc, channelName: 'a\ud800b' }] },
      /^services\[0\]\.channelName: contains a lone UTF-16 surrogate/,
    ],
    [
      'privilege of another service',
      { services: [{ ...rtc, privileges: { login: 1 } }] },
      /^services\[0\]\.privileges: expected rtc privilege \(joinChannel, .*\) or a decimal id 0\.\.65535, got the string "login"$/,
    ],
    [
      'privilege id beyond uint16',
      { services: [{ ...rtc, privileges: { '65536': 1 } }] },
      /^services\[0\]\.privileges: /,
    ],
    [
      'privilege id not canonical',
      { services: [{ ...rtc, privileges: { '01': 1 } }] },
      /^services\[0\]\.privileges: /,
    ],
    [
      'privilege given twice',
      { services: [{ ...rtc, privileges: { joinChannel: 1, '1': 2 } }] },
      /^services\[0\]\.privileges: privilege id 1 is given twice/,
    ],
    [
      'privilege given twice, among others',
      { services: [{ ...rtc, privileges: { publishVideoStream: 1, joinChannel: 1, '3': 2 } }] },
      /^services\[0\]\.privileges: privilege id 3 is given twice/,
    ],
    [
      '65536 privileges (every id)',
      {
        services: [
          {
            ...rtc,
            privileges: Object.fromEntries(
              Array.from({ length: 65536 }, (_, id) => [String(id), 1]),
            ),
          },
        ],
      },
      /^services\[0\]\.privileges: has 65536 privileges; the format allows at most 65535$/,
    ],
    [
      'privilege value negative',
      { services: [{ ...rtc, privileges: { joinChannel: -1 } }] },
      /^services\[0\]\.privileges\.joinChannel: expected an integer 0\.\.4294967295, got -1$/,
    ],
    [
      'privileges missing',
      { services: [{ type: 'rtm', userId: 'a' }] },
      /^services\[0\]\.privileges: expected an object/,
    ],
    [
      'APaaS role out of int16',
      { services: [{ type: 'apaas', roomUuid: 'r', userUuid: 'u', role: 40000, privileges: {} }] },
      /^services\[0\]\.role: expected an integer -32768\.\.32767, got 40000$/,
    ],
    [
      'RTM2 unknown resource',
      {
        services: [
          { type: 'rtm2', userId: 'u', permissions: { rooms: { read: ['x'] } }, privileges: {} },
        ],
      },
      /^services\[0\]\.permissions: expected resource type \(messageChannels, /,
    ],
    [
      'RTM2 resources not a list',
      {
        services: [
          { type: 'rtm2', userId: 'u', permissions: { users: { read: 'x' } }, privileges: {} },
        ],
      },
      /^services\[0\]\.permissions\.users\.read: expected an array of resource names/,
    ],
    [
      'RTM2 resource name not a string',
      {
        services: [
          { type: 'rtm2', userId: 'u', permissions: { users: { read: ['a', 7] } }, privileges: {} },
        ],
      },
      /^services\[0\]\.permissions\.users\.read\[1\]: expected a string, got 7$/,
    ],
    [
      'RTM2 resource name with a lone surrogate',
      {
        services: [
          {
            type: 'rtm2',
            userId: 'u',
            permissions: { messageChannels: { write: ['a', 'b', '\udc00'] } },
            privileges: {},
          },
        ],
      },
      /^services\[0\]\.permissions\.messageChannels\.write\[2\]: contains a lone UTF-16 surrogate/,
    ],
  ]

  it.each(cases)('%s', (_name, overrides, message) => {
    let error: unknown
    try {
      build(overrides)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InvalidArgument)
    expect(error).toBeInstanceOf(TokenError)
    expect((error as TokenError).code).toBe('ERR_INVALID_ARGUMENT')
    expect((error as Error).message).toMatch(message)
  })

  it('refuses a bad app id or certificate right after accepting good ones', () => {
    // checkHex32 remembers the last accepted pair; nothing else may get through with them.
    build({})
    expect(() => build({ appId: '' })).toThrow(/^appId: /)
    expect(() => build({ appCertificate: appId.toUpperCase().replace('9', 'x') })).toThrow(
      /^appCertificate: /,
    )
    expect(() => build({ appId: appId.slice(1) })).toThrow(/^appId: /)
    // Either accepted value is a valid value for the other field.
    expect(() => build({ appId: appCertificate, appCertificate: appId })).not.toThrow()
  })

  it('never shows the certificate in a message', () => {
    const secret = 'f'.repeat(31) + 'g'
    expect(() => build({ appCertificate: secret })).toThrow(InvalidArgument)
    try {
      build({ appCertificate: secret })
    } catch (e) {
      expect((e as Error).message).not.toContain(secret)
    }
  })
})

describe('build/verify symmetry: the payload cap (issue 11, item 7)', () => {
  const CAP = 131_072
  const stamp = { issueTs: 1_750_000_000, salt: 1, expire: 600 }
  /** RTC + RTM services whose payload is exactly `bytes` long (two long ASCII strings). */
  const input = (bytes: number, maxPayloadBytes?: number) => {
    // Overhead measured on the token itself: the payload with both strings empty.
    const services = (channel: number, user: number): Service[] => [
      { type: 'rtc', channelName: 'c'.repeat(channel), uid: '', privileges: { joinChannel: 1 } },
      { type: 'rtm', userId: 'u'.repeat(user), privileges: { login: 1 } },
    ]
    const empty = payloadOf(
      buildToken({ appId, appCertificate, ...stamp, services: services(0, 0) }),
    )
    const rest = bytes - empty.length
    const channel = Math.min(rest, 65_535)
    return {
      appId,
      appCertificate,
      ...stamp,
      services: services(channel, rest - channel),
      ...(maxPayloadBytes === undefined ? {} : { maxPayloadBytes }),
    }
  }

  it('the default cap is the verifiers’ default', () => {
    expect(DEFAULT_MAX_PAYLOAD_BYTES).toBe(CAP)
  })

  it('a payload of exactly 128 KiB is built, and our verifyToken accepts it', () => {
    const token = buildToken(input(CAP))
    expect(payloadOf(token).length).toBe(CAP)
    expect(
      verifyToken(token, appCertificate, { currentDate: new Date(stamp.issueTs * 1000) }).version,
    ).toBe('007')
  })

  it('one byte more is refused with ERR_TOKEN_TOO_LARGE naming the size', () => {
    let error: unknown
    try {
      buildToken(input(CAP + 1))
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TokenTooLarge)
    expect((error as TokenTooLarge).code).toBe('ERR_TOKEN_TOO_LARGE')
    expect((error as Error).message).toMatch(
      /^token payload is 131073 bytes, more than maxPayloadBytes \(the default 131072, which verifyToken and decodeToken also apply by default\)/,
    )
  })

  it('maxPayloadBytes raises the cap; the verifier then needs the same option', () => {
    const token = buildToken(input(CAP + 1, CAP + 1))
    expect(payloadOf(token).length).toBe(CAP + 1)
    expect(() =>
      verifyToken(token, appCertificate, { currentDate: new Date(stamp.issueTs * 1000) }),
    ).toThrow(TokenTooLarge)
    expect(
      verifyToken(token, appCertificate, {
        currentDate: new Date(stamp.issueTs * 1000),
        maxPayloadBytes: CAP + 1,
      }).version,
    ).toBe('007')
    expect(() => buildToken(input(CAP, CAP - 1))).toThrow(
      /^token payload is 131072 bytes, more than maxPayloadBytes \(131071\)/,
    )
  })

  it.each([0, -1, 1.5, '131072', 2 ** 32])('maxPayloadBytes %j is refused', (bad) => {
    expect(() => buildToken({ ...input(200), maxPayloadBytes: bad as number })).toThrow(
      /^maxPayloadBytes: expected an integer 1\.\.4294967295/,
    )
  })

  it('the drop-in builders and the typed API hold to the default too', () => {
    const long = 'x'.repeat(65_535)
    const permissions = { 0: { 0: [long], 1: [long] } }
    expect(() =>
      rtmToken({ appId, appCertificate, userId: 'u', permissions, expiresIn: 600 }),
    ).toThrow(TokenTooLarge)
  })
})

describe('a build started while another runs', () => {
  it('gives both builds their own payload (a service getter that builds a token)', () => {
    const inner = { issueTs: 1_750_000_000, salt: 7, expire: 60 }
    const innerAlone = build({ ...inner, services: [{ ...rtc, channelName: 'inner-room' }] })
    let innerToken = ''
    const outerService = {
      type: 'rtc',
      get channelName() {
        innerToken = build({ ...inner, services: [{ ...rtc, channelName: 'inner-room' }] })
        return 'outer-room'
      },
      uid: 42,
      privileges: { joinChannel: 3600 },
    }
    const outer = build({ issueTs: 1_750_000_000, salt: 8, services: [outerService] })
    const outerAlone = build({
      issueTs: 1_750_000_000,
      salt: 8,
      services: [{ ...rtc, channelName: 'outer-room' }],
    })
    expect(innerToken).toBe(innerAlone)
    expect(outer).toBe(outerAlone)
    // And the builds after them still reuse their writer correctly.
    expect(build({ ...inner, services: [{ ...rtc, channelName: 'inner-room' }] })).toBe(innerAlone)
  })
})
