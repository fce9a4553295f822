// Reading a token's grants back into the request that builds them: tokens from agora-token (the
// outside truth) map to the request whose token has the same services, and shapes the server
// does not issue are refused with a 400 that says why.
import { RtcRole as AgoraRtcRole, RtcTokenBuilder as AgoraRtc } from 'agora-token'
import { describe, expect, it } from 'vitest'
import {
  apaasToken,
  buildToken,
  type DecodedToken007,
  decodeToken,
  rtcToken,
  rtmToken,
} from '../../src/index.js'
import { HttpError } from '../../src/server/errors.js'
import { requestFromToken } from '../../src/server/renew-request.js'
import { APP_ID, CERT } from './helpers.js'

const common = { appId: APP_ID, appCertificate: CERT }
const read = (token: string) =>
  requestFromToken(decodeToken(token, { version: '007' }) as DecodedToken007)

describe('requestFromToken', () => {
  it('reads agora-token RTC tokens: uid, role, RTM user; privilege 0 follows the token', () => {
    expect(
      read(AgoraRtc.buildTokenWithUid(APP_ID, CERT, 'room', 42, AgoraRtcRole.PUBLISHER, 600, 0)),
    ).toEqual({ type: 'rtc', channelName: 'room', uid: '42', role: 'publisher' })
    expect(
      read(AgoraRtc.buildTokenWithUid(APP_ID, CERT, 'room', 0, AgoraRtcRole.SUBSCRIBER, 600, 300)),
    ).toEqual({
      type: 'rtc',
      channelName: 'room',
      uid: 0,
      role: 'subscriber',
      privilegeExpiresIn: 300,
    })
    expect(
      read(
        AgoraRtc.buildTokenWithRtm(APP_ID, CERT, 'room', 'ann', AgoraRtcRole.PUBLISHER, 600, 600),
      ),
    ).toEqual({ type: 'rtc', channelName: 'room', uid: 'ann', role: 'publisher', rtmUserId: 'ann' })
  })

  it.each([
    [
      'RTM2 permissions',
      rtmToken({ ...common, userId: 'a', permissions: { users: { read: ['x'] } } }),
      /rtm2/,
    ],
    [
      'an APaaS room-user token',
      apaasToken({ ...common, roomUuid: 'r', userUuid: 'u', role: 1 }),
      /apaas/,
    ],
    [
      'per-privilege lifetimes',
      rtcToken({
        ...common,
        channelName: 'r',
        uid: 1,
        role: 'publisher',
        privilegeExpiresIn: { publishVideoStream: '10m' },
      }),
      /different lifetimes/,
    ],
    [
      'a streaming service',
      buildToken({
        ...common,
        expire: 600,
        services: [
          {
            type: 'streaming',
            channelName: 'r',
            account: 'a',
            privileges: { publishMixStream: 600 },
          },
        ],
      }),
      /streaming/,
    ],
    [
      'publish without join',
      buildToken({
        ...common,
        expire: 600,
        services: [
          { type: 'rtc', channelName: 'r', uid: 'a', privileges: { publishAudioStream: 600 } },
        ],
      }),
      /publisher or a subscriber/,
    ],
  ])('refuses %s with a 400 saying why', (_, token, why) => {
    let thrown: unknown
    try {
      read(token)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(HttpError)
    const err = thrown as HttpError
    expect(err.status).toBe(400)
    expect(err.code).toBe('ERR_INVALID_ARGUMENT')
    expect(err.message).toMatch(why)
    expect(err.message).toMatch(/only tokens of the shapes POST \/token issues can be renewed/)
    expect(err.message).not.toContain(token)
  })
})
