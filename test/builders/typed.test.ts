// The typed API: durations, expiresAt, per-privilege lifetimes and the combined tokens, checked
// against the builder vectors (the same tokens through one options object) and the guards.
import { describe, expect, it } from 'vitest'
import {
  InvalidArgument,
  agentToken,
  apaasToken,
  chatToken,
  decodeToken,
  fpaToken,
  parseDuration,
  rtcToken,
  rtmToken,
  type DecodedToken007,
} from '../../src/index.js'
import { payloadHex } from '../helpers/builder-calls.js'
import { vectorFiles } from '../helpers/vectors.js'

const [node, python] = ['node.', 'python3.'].map(
  (prefix) => vectorFiles('accesstoken2-builders').find((f) => f.file.startsWith(prefix))!,
)

/** A builder vector by number, with its credentials and pinned source as typed options. */
function vector(file: typeof python, n: string) {
  const v = file.vectors.find((x) => x.id.startsWith(`pub-b2-${n}-`))!
  const [appId, appCertificate] = v.args
  // An upper-case certificate is refused by the guards (see guards below); the vector is then
  // replayed with the guards off.
  const guards = !/[A-F]/.test(appCertificate)
  return {
    v,
    args: v.args,
    app: { appId, appCertificate, source: { now: () => v.clockMs, salt: () => v.salt }, guards },
  }
}

function decoded(token: string): DecodedToken007 {
  const d = decodeToken(token)
  if (d.version !== '007') throw new Error('expected a 007 token')
  return d
}

const appId = '970ca35de60c44645bbae8a215061b33'
const appCertificate = '5cfd2fd1755d40ecb72977518be15d3b'
const source = { now: (): number => 1_750_000_000_500, salt: (): number => 77 }
const base = { appId, appCertificate, source }

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['30m', 1800],
    ['1h', 3600],
    ['24h', 86_400],
    ['7d', 604_800],
    ['2w', 1_209_600],
    ['1h30m', 5400],
    [' 1H ', 3600],
    ['3600', 3600],
    [600, 600],
    [0, 0],
    // An explicit unit says what is meant: no absolute-time guess.
    ['20000d', 1_728_000_000],
  ])('%j is %i seconds', (d, seconds) => {
    expect(parseDuration(d, 'expiresIn')).toBe(seconds)
  })

  it.each([
    ['', /^expiresIn: expected a number of seconds or a duration such as '90s'/],
    ['1.5h', /^expiresIn: expected/],
    ['-1h', /^expiresIn: expected/],
    ['1y', /^expiresIn: expected/],
    ['h', /^expiresIn: expected/],
    ['50000d', /^expiresIn: "50000d" is 4320000000 seconds; the format allows at most 4294967295$/],
    [1_795_000_000, /^expiresIn 1795000000 looks like an absolute time/],
    ['1795000000', /^expiresIn 1795000000 looks like an absolute time/],
    [1.5, /^expiresIn: expected seconds from now/],
    [-1, /^expiresIn: expected seconds from now/],
  ])('%j is refused', (d, message) => {
    expect(() => parseDuration(d, 'expiresIn')).toThrow(InvalidArgument)
    expect(() => parseDuration(d, 'expiresIn')).toThrow(message)
  })
})

describe('the same tokens as the builder vectors', () => {
  it('rtcToken: one privilege lifetime (python3 pub-b2-0096, buildTokenWithUid)', () => {
    const { v, args, app } = vector(python, '0096')
    expect(
      rtcToken({
        ...app,
        channelName: args[2],
        uid: 1,
        role: 'publisher',
        expiresIn: 600,
        privilegeExpiresIn: '10m',
      }),
    ).toBe(v.token)
  })

  it('rtcToken: per-privilege lifetimes (python3 pub-b2-0060, buildTokenWithUidAndPrivilege)', () => {
    const { v, args, app } = vector(python, '0060')
    const token = rtcToken({
      ...app,
      channelName: args[2],
      uid: 4_294_967_295,
      role: 'publisher',
      expiresIn: '1h',
      privilegeExpiresIn: {
        publishAudioStream: '1d',
        publishVideoStream: 1,
        publishDataStream: '1s',
      },
    })
    expect(token).toBe(v.token)
  })

  it('rtcToken with rtmUserId (python3 pub-b2-0043, buildTokenWithRtm)', () => {
    const { v, app } = vector(python, '0043')
    expect(
      rtcToken({
        ...app,
        channelName: 'A',
        uid: '🙂user',
        role: 'publisher',
        expiresIn: 1,
        privilegeExpiresIn: '1h',
        rtmUserId: '🙂user',
      }),
    ).toBe(v.token)
  })

  it('rtmToken (python3 pub-b2-0101)', () => {
    const { v, app } = vector(python, '0101')
    expect(rtmToken({ ...app, userId: 'Bob Smith', expiresIn: '1h' })).toBe(v.token)
  })

  it('rtmToken with permissions by name (python3 pub-b2-0065, buildTokenWithPermissions)', () => {
    const { v, args, app } = vector(python, '0065')
    // The vector's ids by their FORMAT.md names: resource 3 serverGroups, 4 users; 0 read, 1 write.
    const byId = args[3]
    expect(Object.keys(byId)).toEqual(['3', '4'])
    const permissions = {
      serverGroups: { read: byId['3']['0'] },
      users: { read: byId['4']['0'], write: byId['4']['1'] },
    }
    expect(
      rtmToken({ ...app, userId: 'test_user@example.com', permissions, expiresIn: 3600 }),
    ).toBe(v.token)
  })

  it('chatToken for a user and for the app (python3 pub-b2-0009, pub-b2-0010)', () => {
    const user = vector(python, '0009')
    expect(chatToken({ ...user.app, userId: '2686929644', expiresIn: 1 })).toBe(user.v.token)
    const app = vector(python, '0010')
    expect(chatToken({ ...app.app, expiresIn: 4_294_967_295, maxLifetime: 4_294_967_295 })).toBe(
      app.v.token,
    )
  })

  it('apaasToken: room user, user and app (python3 pub-b2-0014, 0012, 0013)', () => {
    const room = vector(python, '0014')
    expect(
      apaasToken({ ...room.app, roomUuid: '1', userUuid: '👩‍👩‍👧', role: 1, expiresIn: '10m' }),
    ).toBe(room.v.token)
    const user = vector(python, '0012')
    expect(apaasToken({ ...user.app, userUuid: 'Ünïcödé', expiresIn: '24h' })).toBe(user.v.token)
    const app = vector(python, '0013')
    expect(apaasToken({ ...app.app, expiresIn: 600 })).toBe(app.v.token)
  })

  it('fpaToken (python3 pub-b2-0017)', () => {
    const { v, app } = vector(python, '0017')
    expect(fpaToken({ ...app, expiresIn: '24h' })).toBe(v.token)
  })

  it('agentToken convoai and stt, subscribers (node pub-b2-0037, pub-b2-0076; payloads)', () => {
    const convo = vector(node, '0037')
    const a = agentToken({
      ...convo.app,
      kind: 'convoai',
      channelName: 'नमस्ते',
      uid: '0',
      guards: false, // the account "0", which the guards refuse as a probable "any uid"
      role: 'subscriber',
      expiresIn: 600,
      privilegeExpiresIn: { joinChannel: 600 },
      rtmUserId: '4294967295',
      rtmExpiresIn: '1h',
    })
    expect(payloadHex(a)).toBe(convo.v.payloadHex)
    const stt = vector(node, '0076')
    const b = agentToken({
      ...stt.app,
      kind: 'stt',
      channelName: stt.args[2],
      uid: '3736193207',
      role: 'subscriber',
      expiresIn: 1,
      privilegeExpiresIn: { joinChannel: 0 },
      rtmUserId: '👩‍👩‍👧',
      rtmExpiresIn: 4_294_967_295,
      maxLifetime: 4_294_967_295,
    })
    expect(payloadHex(b)).toBe(stt.v.payloadHex)
  })
})

describe('lifetimes', () => {
  it('default to one hour for the token and for every privilege', () => {
    const d = decoded(
      rtcToken({ ...base, channelName: 'c', uid: 7, role: 'publisher', rtmUserId: 'u' }),
    )
    expect(d.expire).toBe(3600)
    expect(d.services).toEqual([
      {
        type: 'rtc',
        channelName: 'c',
        uid: '7',
        privileges: {
          joinChannel: 3600,
          publishAudioStream: 3600,
          publishVideoStream: 3600,
          publishDataStream: 3600,
        },
      },
      { type: 'rtm', userId: 'u', privileges: { login: 3600 } },
    ])
  })

  it('expiresAt becomes the whole seconds from the issue time, never later than the Date', () => {
    // issueTs is 1_750_000_000 (now() = …000_500 ms)
    const d = decoded(chatToken({ ...base, userId: 'u', expiresAt: new Date(1_750_003_600_999) }))
    expect(d).toMatchObject({ issueTs: 1_750_000_000, expire: 3600 })
    expect(d.expiresAt.getTime()).toBeLessThanOrEqual(1_750_003_600_999)
  })

  it.each([
    [
      'the issue second itself',
      new Date(1_750_000_000_999),
      /^expiresAt: .* is not after the issue time/,
    ],
    ['a past Date', new Date(0), /^expiresAt: .* is not after the issue time/],
    ['an invalid Date', new Date(Number.NaN), /^expiresAt: expected a valid Date/],
    ['a number', 1_750_003_600 as unknown as Date, /^expiresAt: expected a valid Date/],
    [
      'a Date beyond uint32 seconds away',
      new Date(8.64e15),
      /^expiresAt: .* is more than 4294967295 seconds away/,
    ],
  ])('expiresAt as %s is refused', (_label, expiresAt, message) => {
    expect(() => chatToken({ ...base, expiresAt })).toThrow(message)
  })

  it('expiresIn and expiresAt together are refused', () => {
    expect(() =>
      fpaToken({ ...base, expiresIn: '1h', expiresAt: new Date(1_750_003_600_000) }),
    ).toThrow('expiresIn, expiresAt: give one of them, not both')
  })

  it('a token lifetime of 0 is refused (it would be expired when issued)', () => {
    expect(() => fpaToken({ ...base, expiresIn: '0s' })).toThrow(/^expiresIn: 0 makes a token/)
  })

  it('an absolute time given as expiresIn gets the builders’ hint', () => {
    expect(() => rtmToken({ ...base, userId: 'u', expiresIn: 1_795_000_000 })).toThrow(
      'expiresIn 1795000000 looks like an absolute time (2026-11-18T11:06:40Z); pass seconds from now, e.g. 3600 (that time is 45000000 seconds from now)',
    )
  })

  it('a subscriber only joins; publish lifetimes are ignored for it', () => {
    const d = decoded(
      rtcToken({
        ...base,
        channelName: 'c',
        uid: 0,
        role: 'subscriber',
        privilegeExpiresIn: { joinChannel: '5m', publishAudioStream: '1h' },
      }),
    )
    expect(d.services).toEqual([
      { type: 'rtc', channelName: 'c', uid: '', privileges: { joinChannel: 300 } },
    ])
  })
})

describe('options the typed API refuses', () => {
  const rtc = { ...base, channelName: 'c', uid: 1, role: 'publisher' } as const

  it.each([
    ['no options', undefined, /^rtcToken options: expected an object, got undefined/],
    [
      'a role number',
      { ...rtc, role: 1 },
      /^role: expected 'publisher' or 'subscriber', got 1; the typed API takes 'publisher'$/,
    ],
    ['an empty uid', { ...rtc, uid: '' }, /^uid: got the empty string/],
    ['the uid "undefined"', { ...rtc, uid: 'undefined' }, /^uid: got the string "undefined"/],
    [
      'an unknown privilege',
      { ...rtc, privilegeExpiresIn: { login: '1h' } },
      /^privilegeExpiresIn: expected keys among joinChannel/,
    ],
    [
      'rtmExpiresIn without rtmUserId',
      { ...rtc, rtmExpiresIn: '1h' },
      /^rtmExpiresIn: given without rtmUserId$/,
    ],
    ['an empty appId', { ...rtc, appId: '' }, /^appId: .*environment variable/],
    [
      'a source without salt()',
      { ...rtc, source: { now: (): number => 0 } },
      /^source: expected an object with now\(\) and salt\(\)/,
    ],
  ])('rtcToken with %s', (_label, options, message) => {
    expect(() => rtcToken(options as never)).toThrow(InvalidArgument)
    expect(() => rtcToken(options as never)).toThrow(message)
  })

  it('apaasToken: a room needs a role, and a role needs a room', () => {
    expect(() => apaasToken({ ...base, roomUuid: 'r', userUuid: 'u' })).toThrow(
      /^role: expected an integer -32768\.\.32767 \(required with roomUuid\)/,
    )
    expect(() => apaasToken({ ...base, userUuid: 'u', role: 1 })).toThrow(
      /^role: only a room-user token/,
    )
  })

  it('agentToken needs a known kind and an RTM user', () => {
    const agent = { ...rtc, rtmUserId: 'agent' }
    expect(() => agentToken({ ...agent, kind: 'tts' as never })).toThrow(
      /^kind: expected 'convoai' or 'stt'/,
    )
    expect(() => agentToken({ ...agent, kind: 'stt', rtmUserId: undefined as never })).toThrow(
      /^rtmUserId: expected/,
    )
  })

  it('rtmToken and chatToken refuse user id 0 (it would be written as an empty id)', () => {
    expect(() => rtmToken({ ...base, userId: 0 })).toThrow(
      /^userId: expected a non-empty string or an integer 1\.\.4294967295/,
    )
    expect(() => chatToken({ ...base, userId: 0 })).toThrow(/^userId: /)
  })
})

it('without a source, the clock is Date.now() and the salt random', () => {
  const before = Math.floor(Date.now() / 1000)
  const d = decoded(fpaToken({ appId, appCertificate }))
  expect(d.issueTs).toBeGreaterThanOrEqual(before)
  expect(d.issueTs).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))
  expect(d.salt).toBeGreaterThanOrEqual(1)
  expect(d.salt).toBeLessThanOrEqual(99_999_999)
})
