// What a presented 007 token grants, read back into the TokenRequest that would build it, so that
// a renewal goes through the same policy and the same builders as POST /token. Only the shapes
// this server issues are recognised: anything else would be renewed into different grants.
import type { DecodedService, DecodedToken007 } from '../index.js'
import { HttpError } from './errors.js'
import type { TokenRequest } from './token-request.js'

const PUBLISH = ['publishAudioStream', 'publishVideoStream', 'publishDataStream'] as const

function notRenewable(why: string): never {
  throw new HttpError(
    400,
    'ERR_INVALID_ARGUMENT',
    `token: ${why}; only tokens of the shapes POST /token issues can be renewed`,
  )
}

function privilegeNames(service: DecodedService): string[] {
  return Object.keys(service.privileges)
}

/** The RTC part: channel, uid (`""` is uid 0), role, and one shared privilege lifetime. */
function rtcPart(token: DecodedToken007, rtc: DecodedService): TokenRequest {
  if (rtc.type !== 'rtc') return notRenewable('the first service is not rtc')
  const names = privilegeNames(rtc)
  const publishes = PUBLISH.filter((p) => names.includes(p))
  const known = names.every(
    (n) => n === 'joinChannel' || (PUBLISH as readonly string[]).includes(n),
  )
  if (
    !known ||
    !names.includes('joinChannel') ||
    (publishes.length !== 0 && publishes.length !== 3)
  )
    notRenewable('its rtc privileges are not those of a publisher or a subscriber')
  const lifetimes = new Set(Object.values(rtc.privileges))
  if (lifetimes.size !== 1) notRenewable('its rtc privileges have different lifetimes')
  const request: TokenRequest = {
    type: 'rtc',
    channelName: rtc.channelName,
    uid: rtc.uid === '' ? 0 : rtc.uid,
    role: publishes.length === 3 ? 'publisher' : 'subscriber',
  }
  // A privilege lifetime shorter than the token's was asked for; it is kept. Equal (or 0, which
  // the references read as "as long as the token") follows the renewed token's lifetime.
  const [privilege] = lifetimes
  if (privilege !== 0 && privilege < token.expire) request.privilegeExpiresIn = privilege
  return request
}

/**
 * Reads a verified 007 token back into the {@link TokenRequest} that builds the same grants:
 * type, channel, uid or user id, role, RTM user, and a shorter privilege lifetime. Lifetimes
 * are set by the caller of this function.
 *
 * @throws {HttpError} 400 `ERR_INVALID_ARGUMENT` for a token this server does not issue (RTM2
 *   permissions, streaming, room-user APaaS, per-privilege lifetimes…)
 */
export function requestFromToken(token: DecodedToken007): TokenRequest {
  const s = token.services
  if (token.unknownServiceType !== undefined) notRenewable('it holds a service of unknown type')
  const types = s.map((service) => service.type).join('+')
  switch (types) {
    case 'rtc':
      return rtcPart(token, s[0])
    case 'rtc+rtm':
    case 'rtc+rtm+convoai':
    case 'rtc+rtm+stt': {
      const rtm = s[1]
      if (rtm.type !== 'rtm') return notRenewable('unexpected services')
      const request = rtcPart(token, s[0])
      request.rtmUserId = rtm.userId
      const agent = s[2]
      if (agent !== undefined) {
        if (privilegeNames(agent).length !== 0)
          notRenewable(`its ${agent.type} service has privileges`)
        request.type = agent.type as 'convoai' | 'stt'
      }
      return request
    }
    case 'rtm': {
      const rtm = s[0]
      if (rtm.type !== 'rtm' || privilegeNames(rtm).join() !== 'login')
        return notRenewable('its rtm service is not a login')
      return { type: 'rtm', userId: rtm.userId }
    }
    case 'chat': {
      const chat = s[0]
      if (chat.type !== 'chat') return notRenewable('unexpected services')
      const names = privilegeNames(chat).join()
      if (names === 'user' && chat.userId !== '') return { type: 'chat', userId: chat.userId }
      if (names === 'app' && chat.userId === '') return { type: 'chat' }
      return notRenewable('its chat service is neither a user nor an app token')
    }
    case 'apaas': {
      const apaas = s[0]
      if (apaas.type !== 'apaas' || apaas.roomUuid !== '')
        return notRenewable('it is an APaaS room-user token')
      const names = privilegeNames(apaas).join()
      if (names === 'user' && apaas.userUuid !== '')
        return { type: 'apaas', userId: apaas.userUuid }
      if (names === 'app' && apaas.userUuid === '') return { type: 'apaas' }
      return notRenewable('its apaas service is neither a user nor an app token')
    }
    case 'fpa':
      return { type: 'fpa' }
    default:
      return notRenewable(`it grants ${types || 'no services'}`)
  }
}
