// suggest007Call: the suggested 007 call is run as code (with agora-token 2.0.6 itself for the
// agora-token calls) and the 007 token it makes must grant what the 006 token granted, at the
// same absolute times, given the issue time the 006 builders imply (ts - 24 h).
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { buildToken, buildToken006, decodeToken, legacy } from '../../src/index.js'
import type { DecodedToken006, DecodedToken007 } from '../../src/index.js'

const require = createRequire(import.meta.url)
const agoraToken = require('agora-token')

const APP_ID = '970ca35de60c44645bbae8a215061b33'
const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
const ISSUED = 1_750_000_000
const TS = ISSUED + 86400
const { RtcTokenBuilder, RtmTokenBuilder } = legacy.createLegacyBuilders({
  now: () => ISSUED * 1000,
  salt: () => 9,
})

function decode006(token: string): DecodedToken006 {
  const decoded = decodeToken(token)
  if (decoded.version !== '006') throw new Error('expected a 006 token')
  return decoded
}

/** Runs the suggestion as JavaScript, with agora-token's builders and token007's buildToken in scope. */
function run(
  suggestion: string,
  names: { channelName?: string; uid?: string | number; account?: string },
): DecodedToken007 {
  const scope = {
    RtcTokenBuilder: agoraToken.RtcTokenBuilder,
    RtmTokenBuilder: agoraToken.RtmTokenBuilder,
    RtcRole: agoraToken.RtcRole,
    buildToken,
    appCertificate: CERT,
    channelName: names.channelName,
    uid: names.uid,
    account: names.account,
  }
  const token = new Function(...Object.keys(scope), `return ${suggestion}`)(...Object.values(scope))
  const decoded = decodeToken(token)
  if (decoded.version !== '007') throw new Error('expected a 007 token')
  return decoded
}

describe('suggest007Call', () => {
  it('turns a publisher token into buildTokenWithUid with RtcRole.PUBLISHER', () => {
    const suggestion = legacy.suggest007Call(
      decode006(RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'room-1', 42, 1, ISSUED + 3600)),
    )
    expect(suggestion).toBe(
      [
        `RtcTokenBuilder.buildTokenWithUid('${APP_ID}', appCertificate, channelName, uid, RtcRole.PUBLISHER, 86400, 3600)`,
        '// channelName, uid: the ones the 006 token was made for (it carries only their CRC-32s)',
        `// lifetimes in seconds after the issue time, taken as the 006 ts (${TS}) - 24 h as the 006 builders set it`,
      ].join('\n'),
    )
    const made = run(suggestion, { channelName: 'room-1', uid: 42 })
    expect(made).toMatchObject({ appId: APP_ID, expire: 86400 })
    expect(made.services).toEqual([
      {
        type: 'rtc',
        channelName: 'room-1',
        uid: '42',
        privileges: {
          joinChannel: 3600,
          publishAudioStream: 3600,
          publishVideoStream: 3600,
          publishDataStream: 3600,
        },
      },
    ])
  })

  it('turns a subscriber token into RtcRole.SUBSCRIBER, and uid 0 into the literal 0', () => {
    const suggestion = legacy.suggest007Call(
      decode006(RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'room-1', 0, 2, ISSUED + 600)),
    )
    expect(suggestion).toMatch(
      /^RtcTokenBuilder\.buildTokenWithUid\('[0-9a-f]{32}', appCertificate, channelName, 0, RtcRole\.SUBSCRIBER, 86400, 600\)\n/,
    )
    expect(suggestion).toContain('uid 0: any uid')
    expect(run(suggestion, { channelName: 'room-1' }).services).toEqual([
      { type: 'rtc', channelName: 'room-1', uid: '', privileges: { joinChannel: 600 } },
    ])
  })

  it('gives no limit (0) and times past ts the token lifetime', () => {
    for (const expireTs of [0, TS + 5, 0xffff_ffff]) {
      const suggestion = legacy.suggest007Call(
        decode006(RtcTokenBuilder.buildTokenWithAccount(APP_ID, CERT, 'c', 'alice', 1, expireTs)),
      )
      expect(suggestion.split('\n')[0]).toMatch(/RtcRole\.PUBLISHER, 86400, 86400\)$/)
    }
  })

  it('turns an RTM token into RtmTokenBuilder.buildToken for the account', () => {
    const suggestion = legacy.suggest007Call(
      decode006(RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', 1, ISSUED + 7200)),
    )
    expect(suggestion.split('\n').slice(0, 2)).toEqual([
      `RtmTokenBuilder.buildToken('${APP_ID}', appCertificate, account, 7200)`,
      '// account: the user account the 006 token was made for (it carries only its CRC-32)',
    ])
    expect(run(suggestion, { account: 'alice' }).services).toEqual([
      { type: 'rtm', userId: 'alice', privileges: { login: 7200 } },
    ])
  })

  it('uses buildTokenWithUidAndPrivilege for four different privilege times', () => {
    const token = buildToken006({
      appId: APP_ID,
      appCertificate: CERT,
      channelName: 'c',
      uid: 7,
      ts: TS,
      salt: 1,
      privileges: {
        joinChannel: ISSUED + 100,
        publishAudioStream: ISSUED + 200,
        publishVideoStream: ISSUED + 300,
        publishDataStream: 0,
      },
    })
    const suggestion = legacy.suggest007Call(decode006(token))
    expect(suggestion.split('\n')[0]).toMatch(
      /^RtcTokenBuilder\.buildTokenWithUidAndPrivilege\('.{32}', appCertificate, channelName, uid, 86400, 100, 200, 300, 86400\)$/,
    )
    expect(run(suggestion, { channelName: 'c', uid: 7 }).services[0].privileges).toEqual({
      joinChannel: 100,
      publishAudioStream: 200,
      publishVideoStream: 300,
      publishDataStream: 86400,
    })
  })

  it('falls back to the raw buildToken for other combinations, and notes what it leaves out', () => {
    const token = buildToken006({
      appId: APP_ID,
      appCertificate: CERT,
      channelName: 'c',
      uid: 'bob',
      ts: TS,
      salt: 1,
      privileges: { publishAudioStream: ISSUED + 60, '101': ISSUED + 60, rtmLogin: ISSUED + 90 },
    })
    const suggestion = legacy.suggest007Call(decode006(token))
    expect(suggestion.split('\n')[0]).toMatch(
      /^buildToken\(\{ appId: '.{32}', appCertificate, expire: 86400, services: \[/,
    )
    expect(suggestion).toContain(
      '// 006 privileges 101 have no AccessToken2 equivalent and are left out',
    )
    expect(run(suggestion, { channelName: 'c', uid: 'bob', account: 'bob-rtm' }).services).toEqual([
      { type: 'rtc', channelName: 'c', uid: 'bob', privileges: { publishAudioStream: 60 } },
      { type: 'rtm', userId: 'bob-rtm', privileges: { login: 90 } },
    ])
  })

  it('notes a token that grants nothing, and a privilege that ended before the token was made', () => {
    const none = buildToken006({
      appId: APP_ID,
      appCertificate: CERT,
      channelName: 'c',
      uid: 1,
      ts: TS,
      salt: 1,
      privileges: {},
    })
    const noneSuggestion = legacy.suggest007Call(decode006(none))
    expect(noneSuggestion).toContain('// the 006 token grants no privilege')
    expect(run(noneSuggestion, { channelName: 'c', uid: 1 }).services).toEqual([
      { type: 'rtc', channelName: 'c', uid: '1', privileges: {} },
    ])

    const stale = buildToken006({
      appId: APP_ID,
      appCertificate: CERT,
      channelName: 'c',
      uid: 1,
      ts: TS,
      salt: 1,
      privileges: { joinChannel: ISSUED - 5 },
    })
    const staleSuggestion = legacy.suggest007Call(decode006(stale))
    expect(staleSuggestion.split('\n')[0]).toMatch(/RtcRole\.SUBSCRIBER, 86400, 1\)$/)
    expect(staleSuggestion).toContain(
      "// privilege 1 ended before the token's presumed issue time; 1 s stands for it",
    )
  })
})

describe('suggest007Call takes any decodeToken result', () => {
  it('a 006 token straight from decodeToken (no narrowing needed)', () => {
    const token = RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'room', 42, 1, TS)
    expect(legacy.suggest007Call(decodeToken(token))).toBe(legacy.suggest007Call(decode006(token)))
  })

  it('a 007 token is refused with a clear InvalidArgument', () => {
    const token = buildToken({
      appId: APP_ID,
      appCertificate: CERT,
      expire: 600,
      services: [{ type: 'rtm', userId: 'a', privileges: { login: 600 } }],
    })
    expect(() => legacy.suggest007Call(decodeToken(token))).toThrow(
      'decoded: is a 007 token, which needs no migration; suggest007Call takes a decoded 006 token',
    )
    for (const bad of [null, undefined, 'x', {}]) {
      expect(() => legacy.suggest007Call(bad as never)).toThrow(
        /^decoded: expected a decoded 006 token/,
      )
    }
  })
})
