/**
 * A migration hint: the AccessToken2 builder call that makes the 007 equivalent of a 006 token.
 *
 * @module
 */
import { InvalidArgument } from '../errors.js'
import { describe } from '../lib/validate.js'
import type { DecodedToken, DecodedToken006 } from '../types.js'
import { DEFAULT_TS_OFFSET } from '../format/006/pack.js'
import { PRIVILEGE_IDS, privilegeId006 } from '../format/006/privileges.js'

const RTC_IDS = [
  PRIVILEGE_IDS.joinChannel,
  PRIVILEGE_IDS.publishAudioStream,
  PRIVILEGE_IDS.publishVideoStream,
  PRIVILEGE_IDS.publishDataStream,
] as const
const RTC_NAMES = [
  'joinChannel',
  'publishAudioStream',
  'publishVideoStream',
  'publishDataStream',
] as const
// The 006 builders set ts to the issue time + 24 h: the 007 token gets that lifetime.
const TOKEN_EXPIRE = DEFAULT_TS_OFFSET

/**
 * Suggests the 007 builder call (agora-token's API, which token007 exports) equivalent to a
 * decoded 006 token, as copy-pasteable code followed by `//` comment lines.
 *
 * - A 006 token carries only CRC-32s of its channel and uid, so the call names them `channelName`
 *   and `uid` (or `account` for RTM) for the caller to fill in; a uid CRC of 0 is uid 0 (any uid).
 * - 006 times are absolute, 007 lifetimes are seconds after the issue time. The 006 builders set
 *   `ts` to the issue time + 24 h, so the issue time is taken as `ts - 86400` and the token
 *   lifetime as 86400; a privilege is capped at `ts` (the 006 token ends there), and 0 (no
 *   limit) lasts as long as the token.
 * - A publisher or subscriber token becomes `RtcTokenBuilder.buildTokenWithUid`, an RTM token
 *   `RtmTokenBuilder.buildToken`, per-privilege times `buildTokenWithUidAndPrivilege`; any other
 *   combination the raw `buildToken`. 006 privileges with no 007 equivalent (such as 101) are
 *   left out, with a note.
 *
 * Takes any result of `decodeToken`, so `legacy.suggest007Call(decodeToken(token))` type-checks;
 * a 007 token needs no migration and is refused with `InvalidArgument`.
 *
 * @example
 * ```ts
 * console.log(legacy.suggest007Call(decodeToken(token006)))
 * // RtcTokenBuilder.buildTokenWithUid('970c…', appCertificate, channelName, uid, RtcRole.PUBLISHER, 86400, 3600)
 * // channelName, uid: the ones the 006 token was made for (it carries only their CRC-32s)
 * // …
 * ```
 */
export function suggest007Call(decoded: DecodedToken): string {
  if (typeof decoded !== 'object' || decoded === null || decoded.version !== '006') {
    const version = (decoded as { version?: unknown } | null)?.version
    throw new InvalidArgument(
      version === '007'
        ? 'decoded: is a 007 token, which needs no migration; suggest007Call takes a decoded 006 token'
        : `decoded: expected a decoded 006 token (decodeToken's result), got ${describe(decoded)}`,
    )
  }
  return suggestFor(decoded)
}

function suggestFor(decoded: DecodedToken006): string {
  const issued = decoded.ts - TOKEN_EXPIRE
  const notes: string[] = []
  const times = new Map<number, number>()
  const other: number[] = []
  for (const [key, time] of Object.entries(decoded.privileges)) {
    const id = privilegeId006(key) as number
    if (RTC_IDS.includes(id as 1) || id === PRIVILEGE_IDS.rtmLogin) times.set(id, time)
    else other.push(id)
  }
  const lifetime = (id: number): number => {
    const time = times.get(id) as number
    if (time === 0 || time >= decoded.ts) return TOKEN_EXPIRE
    if (time - issued >= 1) return time - issued
    notes.push(`privilege ${id} ended before the token's presumed issue time; 1 s stands for it`)
    return 1
  }

  const app = { appId: `'${decoded.appId}'`, uid: decoded.crcUid === 0 ? '0' : 'uid' }
  const rtc = RTC_IDS.map((id) => (times.has(id) ? lifetime(id) : undefined))
  const rtcCount = rtc.filter((t) => t !== undefined).length
  const login = times.has(PRIVILEGE_IDS.rtmLogin) ? lifetime(PRIVILEGE_IDS.rtmLogin) : undefined

  let code: string
  let subject = `channelName${app.uid === 'uid' ? ', uid' : ''}: the ones the 006 token was made for (it carries only their CRC-32s)`
  if (app.uid === '0') subject += '; uid 0: any uid'
  const [join, audio, video, data] = rtc
  if (login !== undefined && rtcCount === 0) {
    code = call('RtmTokenBuilder.buildToken', app.appId, 'appCertificate', 'account', login)
    subject = 'account: the user account the 006 token was made for (it carries only its CRC-32)'
  } else if (login === undefined && rtcCount === 1 && join !== undefined) {
    code = rtcCall(app, 'RtcRole.SUBSCRIBER', join)
  } else if (login === undefined && rtcCount === 4 && rtc.every((t) => t === join)) {
    code = rtcCall(app, 'RtcRole.PUBLISHER', join as number)
  } else if (login === undefined && rtcCount === 4) {
    code = call(
      'RtcTokenBuilder.buildTokenWithUidAndPrivilege',
      app.appId,
      'appCertificate',
      'channelName',
      app.uid,
      TOKEN_EXPIRE,
      join,
      audio,
      video,
      data,
    )
  } else {
    // No builder grants this combination: the raw buildToken can.
    const granted = RTC_NAMES.flatMap((name, i) =>
      rtc[i] === undefined ? [] : [`${name}: ${rtc[i]}`],
    )
    const services = [
      `{ type: 'rtc', channelName, uid: ${app.uid}, privileges: ${braces(granted)} }`,
    ]
    if (login !== undefined) {
      services.push(`{ type: 'rtm', userId: account, privileges: { login: ${login} } }`)
      subject += '; account: the RTM user'
    }
    code = `buildToken({ appId: ${app.appId}, appCertificate, expire: ${TOKEN_EXPIRE}, services: [${services.join(', ')}] })`
    if (rtcCount === 0 && login === undefined) notes.push('the 006 token grants no privilege')
  }
  if (other.length > 0) {
    notes.push(
      `006 privileges ${other.join(', ')} have no AccessToken2 equivalent and are left out`,
    )
  }
  return [
    code,
    `// ${subject}`,
    `// lifetimes in seconds after the issue time, taken as the 006 ts (${decoded.ts}) - 24 h as the 006 builders set it`,
    ...notes.map((note) => `// ${note}`),
  ].join('\n')
}

function call(name: string, ...args: Array<string | number | undefined>): string {
  return `${name}(${args.join(', ')})`
}

function rtcCall(
  app: { appId: string; uid: string },
  role: string,
  privilegeExpire: number,
): string {
  return call(
    'RtcTokenBuilder.buildTokenWithUid',
    app.appId,
    'appCertificate',
    'channelName',
    app.uid,
    role,
    TOKEN_EXPIRE,
    privilegeExpire,
  )
}

function braces(entries: string[]): string {
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`
}
