// Findings about whom and what a legacy 006 token is for. Only CRC-32s of the channel name and
// the uid travel in it, so expectations are compared through their CRC-32s.
import { crc32 } from '../format/006/crc32.js'
import type { DecodedToken006 } from '../types.js'
import { quote } from './escape.js'
import type { Expectations } from './expected.js'
import { AGORA, finding } from './finding.js'
import type { Finding } from './types.js'

const RTC_PRIVILEGES = [
  'joinChannel',
  'publishAudioStream',
  'publishVideoStream',
  'publishDataStream',
]
const PUBLISH = ['publishAudioStream', 'publishVideoStream', 'publishDataStream']

function crcOf(text: string): number {
  return crc32(new TextEncoder().encode(text))
}

const CRC_OF_ZERO = /* @__PURE__ */ crcOf('0')

/** The services a 006 token grants, as its privileges show them. */
export function services006(t: DecodedToken006): Array<'rtc' | 'rtm'> {
  const has = (key: string) => Object.hasOwn(t.privileges, key)
  const out: Array<'rtc' | 'rtm'> = []
  if (RTC_PRIVILEGES.some(has)) out.push('rtc')
  if (has('rtmLogin')) out.push('rtm')
  return out
}

/** Subject findings of a 006 token. */
export function subjectFindings006(t: DecodedToken006, e: Expectations): Finding[] {
  const out: Finding[] = []
  const granted = services006(t)
  const wanted = e.service ?? (e.role !== undefined ? 'rtc' : undefined)
  if (t.crcUid === 0 && granted.includes('rtc')) {
    out.push(
      finding(
        'WILDCARD_UID',
        'info',
        'the token is for uid 0: anyone holding it may join its channel with any uid',
      ),
    )
  } else if (t.crcUid === CRC_OF_ZERO) {
    out.push(
      finding(
        'UID_ZERO_STRING',
        e.user?.kind === 'uid' && e.user.text === '' ? 'error' : 'warning',
        'the token is for the string account "0", not uid 0 ("any uid"): pass the number 0 to the builder',
        'legacy.RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, channelName, 0, role, expireTs)',
        AGORA.invalidToken,
      ),
    )
  }
  if (wanted !== undefined && !granted.includes(wanted as 'rtc')) {
    out.push(
      finding(
        'WRONG_SERVICE',
        'error',
        `the token grants ${granted.join(' + ') || 'nothing'}, not ${wanted}` +
          (wanted === 'rtm'
            ? ': an RTC token cannot log in to RTM; build an RTM token for the user id'
            : ''),
        wanted === 'rtm'
          ? 'RtmTokenBuilder.buildToken(appId, appCertificate, userId, 3600) // a 007 RTM token'
          : undefined,
        AGORA.invalidToken,
      ),
    )
    return out
  }
  const isRtm = wanted === 'rtm' || (wanted === undefined && e.userId !== undefined)
  if (isRtm && e.userId !== undefined && crcOf(e.userId) !== t.crcChannelName) {
    out.push(
      finding(
        'UID_MISMATCH',
        'error',
        `the token is not for user id ${quote(e.userId)} (the CRC-32 of its account differs): build it for the user id the app logs in with`,
        'pass the same user id to the builder and to login',
        AGORA.invalidToken,
      ),
    )
  }
  if (!isRtm && e.channelName !== undefined && crcOf(e.channelName) !== t.crcChannelName) {
    out.push(
      finding(
        'CHANNEL_MISMATCH',
        'error',
        `the token is not for channel ${quote(e.channelName)} (the CRC-32 of its channel name differs): build it with the channel name the app joins`,
        'pass the same channelName to the builder and to joinChannel',
        AGORA.invalidToken,
      ),
    )
  }
  if (!isRtm && e.user !== undefined && t.crcUid !== 0 && crcOf(e.user.text) !== t.crcUid) {
    if (!(e.user.text === '' && t.crcUid === CRC_OF_ZERO)) {
      out.push(
        finding(
          'UID_MISMATCH',
          'error',
          `the token is not for ${e.user.kind} ${quote(e.user.shown)} (the CRC-32 of its uid differs): build it for the user who joins`,
          'pass the same uid (or account) to the builder and to joinChannel',
          AGORA.invalidToken,
        ),
      )
    }
  }
  if (e.role === 'publisher' && (wanted === undefined || wanted === 'rtc')) {
    if (!PUBLISH.some((p) => Object.hasOwn(t.privileges, p))) {
      out.push(
        finding(
          'ROLE_MISMATCH',
          'error',
          'the app publishes, but the token grants only joinChannel (a subscriber token): build it with the publisher role',
          'legacy.RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, channelName, uid, legacy.RtcRole.PUBLISHER, expireTs)',
        ),
      )
    }
  }
  return out
}
