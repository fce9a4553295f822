// Findings about whom and what a token is for: its services, channel, user and role, compared
// with what the app expects.
import type { DecodedService, DecodedToken007, ServiceType } from '../types.js'
import { quote } from './escape.js'
import type { Expectations, ExpectedUser } from './expected.js'
import { AGORA, finding } from './finding.js'
import type { Finding } from './types.js'

const CHANNEL_SERVICES: readonly ServiceType[] = ['rtc', 'streaming', 'fcdn']
const USER_ID_SERVICES: readonly ServiceType[] = ['rtm', 'rtm2', 'chat']
const PUBLISH = ['publishAudioStream', 'publishVideoStream', 'publishDataStream']

const BUILDER_OF: Partial<Record<ServiceType, string>> = {
  rtc: 'RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, channelName, uid, RtcRole.PUBLISHER, 3600, 3600)',
  rtm: 'RtmTokenBuilder.buildToken(appId, appCertificate, userId, 3600)',
  rtm2: 'RtmTokenBuilder.buildToken(appId, appCertificate, userId, 3600)',
  chat: 'ChatTokenBuilder.buildUserToken(appId, appCertificate, userId, 3600)',
  apaas:
    'ApaasTokenBuilder.buildRoomUserToken(appId, appCertificate, roomUuid, userUuid, role, 3600)',
  fpa: 'FpaTokenBuilder.buildToken(appId, appCertificate)',
}

type Fields = Record<string, unknown>

function field(service: DecodedService, name: string): string | undefined {
  const value = (service as unknown as Fields)[name]
  return typeof value === 'string' ? value : undefined
}

function typesOf(services: readonly DecodedService[]): string {
  const types = [...new Set(services.map((s) => s.type))]
  return types.length === 0 ? 'no service' : types.join(' + ')
}

/** Subject findings of an AccessToken2. */
export function subjectFindings007(t: DecodedToken007, e: Expectations): Finding[] {
  const out: Finding[] = []
  for (const s of t.services) out.push(...notes(s))
  let services = t.services
  const wanted = e.service ?? (e.role !== undefined ? 'rtc' : undefined)
  if (wanted !== undefined) {
    services = services.filter((s) => s.type === wanted)
    if (services.length === 0) {
      out.push(wrongService(t, wanted))
      return out
    }
  }
  // A field that does not apply to the expected service is not compared (nothing to compare with).
  const applies = (types: readonly ServiceType[]) => wanted === undefined || types.includes(wanted)
  if (e.channelName !== undefined && applies(CHANNEL_SERVICES)) {
    out.push(...channelFindings(t, services, e.channelName))
  }
  if (e.user !== undefined && applies(CHANNEL_SERVICES)) {
    out.push(...userFindings(t, services, e.user))
  }
  if (e.userId !== undefined && applies(USER_ID_SERVICES)) {
    out.push(...userIdFindings(t, services, e.userId))
  }
  if (e.role === 'publisher' && applies(['rtc'])) out.push(...roleFindings(services))
  // The account "0" is a warning on its own, an error when the app joins with uid 0: once.
  const zeroError = out.some((f) => f.code === 'UID_ZERO_STRING' && f.severity === 'error')
  return zeroError ? out.filter((f) => f.code !== 'UID_ZERO_STRING' || f.severity === 'error') : out
}

/** Findings that need no expectation: uid 0 ("any uid") and the account "0". */
function notes(s: DecodedService): Finding[] {
  if (s.type !== 'rtc') return []
  if (s.uid === '') {
    return [
      finding(
        'WILDCARD_UID',
        'info',
        `the rtc service is for uid 0: anyone holding this token may join channel ${quote(s.channelName)} with any uid. ` +
          'Build a token per user (with their uid) when that matters',
      ),
    ]
  }
  if (s.uid === '0') {
    return [
      finding(
        'UID_ZERO_STRING',
        'warning',
        'the rtc service is for the string account "0", not for uid 0 ("any uid", written as ""): ' +
          'a client that joins with uid 0 gets another uid from the SDK and is refused. Pass the number 0, not the string "0"',
        'RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, channelName, 0, role, 3600, 3600) // 0, not "0"',
        AGORA.invalidToken,
      ),
    ]
  }
  return []
}

function wrongService(t: DecodedToken007, wanted: ServiceType): Finding {
  const has = typesOf(t.services)
  const rtcForRtm = wanted === 'rtm' && t.services.some((s) => s.type === 'rtc')
  const message = rtcForRtm
    ? `the token grants ${has}, not rtm: an RTC token cannot log in to RTM (Signaling). Build an RTM token ` +
      'for the user id, or add RTM to the RTC token (RtcTokenBuilder.buildTokenWithRtm)'
    : `the token grants ${has}, not ${wanted}: build it with the ${wanted} builder`
  return finding(
    'WRONG_SERVICE',
    'error',
    message,
    BUILDER_OF[wanted] ?? `add a ${wanted} service to the token`,
    AGORA.invalidToken,
  )
}

function noFieldService(t: DecodedToken007, what: string, types: readonly ServiceType[]): Finding {
  return finding(
    'WRONG_SERVICE',
    'error',
    `an app that expects a ${what} needs a ${types.join(', ')} service, and the token grants ${typesOf(t.services)}`,
    BUILDER_OF[types[0]],
    AGORA.invalidToken,
  )
}

function channelFindings(
  t: DecodedToken007,
  services: readonly DecodedService[],
  channel: string,
): Finding[] {
  const withChannel = services.filter((s) => CHANNEL_SERVICES.includes(s.type))
  if (withChannel.length === 0) return [noFieldService(t, 'channel', CHANNEL_SERVICES)]
  const found = withChannel.map((s) => field(s, 'channelName') ?? '')
  if (found.includes(channel)) return []
  const near = found.find((f) => f.trim().toLowerCase() === channel.trim().toLowerCase())
  const hint =
    near === undefined
      ? ''
      : ' They differ only in case or surrounding spaces: channel names are compared exactly'
  return [
    finding(
      'CHANNEL_MISMATCH',
      'error',
      `the token is for channel ${found.map(quote).join(', ')}, the app joins ${quote(channel)}.${hint} ` +
        'Build the token with the channel name the app joins',
      'pass the same channelName to the builder and to joinChannel',
      AGORA.invalidToken,
    ),
  ]
}

const NUMERIC_UID = /^[1-9][0-9]*$/

function userFindings(
  t: DecodedToken007,
  services: readonly DecodedService[],
  user: ExpectedUser,
): Finding[] {
  const rtc = services.filter((s) => s.type === 'rtc')
  const accounts = services.filter((s) => s.type === 'streaming' || s.type === 'fcdn')
  if (rtc.length === 0 && accounts.length === 0) {
    return [noFieldService(t, 'uid or account', CHANNEL_SERVICES)]
  }
  const found = [
    ...rtc.map((s) => field(s, 'uid') ?? ''),
    ...accounts.map((s) => field(s, 'account') ?? ''),
  ]
  // uid 0 (written as "") admits any uid or account.
  if (found.includes(user.text) || (user.text !== '' && found.includes(''))) return []
  const shown = found.map(quote).join(', ')
  if (user.kind === 'uid' && user.text === '') {
    if (found.includes('0')) {
      return [
        finding(
          'UID_ZERO_STRING',
          'error',
          'the app joins with uid 0 (the SDK assigns a uid), and the token is for the string account "0", which ' +
            'admits only the account "0". Pass the number 0 to the builder, not the string "0"',
          'RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, channelName, 0, role, 3600, 3600)',
          AGORA.invalidToken,
        ),
      ]
    }
    return [
      finding(
        'UID_MISMATCH',
        'error',
        `the app joins with uid 0 (the SDK assigns a uid), but the token is only for ${shown}. Build the token ` +
          'for the uid the app joins with, or for uid 0 (any uid)',
        'join with the uid the token was built for, or build it with that uid',
        AGORA.invalidToken,
      ),
    ]
  }
  const numericFound = found.filter((f) => NUMERIC_UID.test(f))
  const accountFound = found.filter((f) => f !== '' && !NUMERIC_UID.test(f))
  if (user.kind === 'uid' && numericFound.length === 0 && accountFound.length > 0) {
    return [
      finding(
        'ACCOUNT_VS_UID',
        'error',
        `the token is for the string account ${shown}, but the app joins with the numeric uid ${user.shown}: ` +
          'build the token with buildTokenWithUid and that uid, or join with joinChannelWithUserAccount',
        `RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, channelName, ${user.shown}, role, 3600, 3600)`,
        AGORA.invalidToken,
      ),
    ]
  }
  if (
    user.kind === 'account' &&
    !NUMERIC_UID.test(user.text) &&
    numericFound.length > 0 &&
    accountFound.length === 0
  ) {
    return [
      finding(
        'ACCOUNT_VS_UID',
        'error',
        `the token is for the numeric uid ${shown}, but the app joins with the string account ${quote(user.text)}: ` +
          'build the token with buildTokenWithUserAccount and that account, or join with the uid',
        'RtcTokenBuilder.buildTokenWithUserAccount(appId, appCertificate, channelName, account, role, 3600, 3600)',
        AGORA.invalidToken,
      ),
    ]
  }
  const what = user.kind === 'uid' ? `uid ${user.shown}` : `account ${quote(user.text)}`
  return [
    finding(
      'UID_MISMATCH',
      'error',
      `the token's user is ${shown}, the app joins as ${what}: build the token for the user who joins`,
      'pass the same uid (or account) to the builder and to joinChannel',
      AGORA.invalidToken,
    ),
  ]
}

function userIdFindings(
  t: DecodedToken007,
  services: readonly DecodedService[],
  userId: string,
): Finding[] {
  const withUser = services.filter((s) => USER_ID_SERVICES.includes(s.type))
  if (withUser.length === 0) return [noFieldService(t, 'user id', USER_ID_SERVICES)]
  const found = withUser.map((s) => field(s, 'userId') ?? '')
  if (found.includes(userId)) return []
  return [
    finding(
      'UID_MISMATCH',
      'error',
      `the token is for user id ${found.map(quote).join(', ')}, the app logs in as ${quote(userId)}: ` +
        'build the token for the user id the app logs in with',
      'pass the same userId to the builder and to login',
      AGORA.invalidToken,
    ),
  ]
}

function roleFindings(services: readonly DecodedService[]): Finding[] {
  const rtc = services.filter((s) => s.type === 'rtc')
  if (rtc.some((s) => PUBLISH.some((p) => Object.hasOwn(s.privileges, p)))) return []
  return [
    finding(
      'ROLE_MISMATCH',
      'error',
      'the app publishes, but the token grants only joinChannel (a subscriber token): build it with the publisher ' +
        'role. With agora-token and guards off, any role other than 1 (publisher) also gives a join-only token',
      'RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, channelName, uid, RtcRole.PUBLISHER, 3600, 3600)',
    ),
  ]
}
