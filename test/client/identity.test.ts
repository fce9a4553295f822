// Which renewed tokens may replace the current one: same app, services and per-service identity;
// privileges and times may differ.
import { describe, expect, it } from 'vitest'
import { identityMismatch } from '../../src/client/identity.js'
import { type Service, buildToken, buildToken006, decodeToken } from '../../src/index.js'

const appId = '970CA35de60c44645bbae8a215061b33'
const appCertificate = '5cfd2fd1755d40ecb72977518be15d3b'

function token(services: Service[], id = appId) {
  return decodeToken(
    buildToken({
      appId: id,
      appCertificate,
      issueTs: 1_900_000_000,
      expire: 600,
      salt: 1,
      services,
    }),
  )
}

const rtc = (channelName: string, uid: string, privileges = { joinChannel: 0 }): Service => ({
  type: 'rtc',
  channelName,
  uid,
  privileges,
})

describe('identityMismatch', () => {
  it('accepts the same identity with other privileges and times', () => {
    const current = token([
      rtc('room', '42'),
      { type: 'rtm', userId: 'alice', privileges: { login: 0 } },
    ])
    const renewed = token([
      rtc('room', '42', { joinChannel: 300, publishAudioStream: 300 } as never),
      { type: 'rtm', userId: 'alice', privileges: { login: 60 } },
    ])
    expect(identityMismatch(current, renewed)).toBeUndefined()
  })

  it('names the first claim that differs', () => {
    const current = token([rtc('room', '42')])
    expect(identityMismatch(current, token([rtc('room', '43')]))?.claim).toBe('uid')
    expect(identityMismatch(current, token([rtc('hall', '42')]))?.claim).toBe('channelName')
    expect(identityMismatch(current, token([rtc('room', '')]))?.claim).toBe('uid')
    expect(
      identityMismatch(current, token([rtc('room', '42')], appId.toLowerCase())),
    ).toBeUndefined()
    expect(identityMismatch(current, token([rtc('room', '42')], 'a'.repeat(32)))?.claim).toBe(
      'appId',
    )
    const both = token([rtc('room', '42'), { type: 'rtm', userId: 'alice', privileges: {} }])
    const mismatch = identityMismatch(current, both)
    expect(mismatch?.claim).toBe('service')
    expect(mismatch?.message).toContain('rtc+rtm')
    const other = token([rtc('room', '42'), { type: 'rtm', userId: 'bob', privileges: {} }])
    expect(identityMismatch(both, other)?.claim).toBe('userId')
  })

  it('compares the CRC-32s a 006 token carries', () => {
    const make = (channelName: string, uid: number) =>
      decodeToken(
        buildToken006({
          appId,
          appCertificate,
          channelName,
          uid,
          salt: 1,
          ts: 2_000_000_000,
          privileges: { joinChannel: 0 },
        }),
      )
    expect(identityMismatch(make('room', 42), make('room', 42))).toBeUndefined()
    expect(identityMismatch(make('room', 42), make('room', 43))?.claim).toBe('uid')
    expect(identityMismatch(make('room', 42), make('hall', 42))?.claim).toBe('channelName')
  })
})
