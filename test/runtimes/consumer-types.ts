// Typings a user relies on, compiled with `tsc --strict` against the packed tarball
// (readme-snippets.mjs). A regression in the shipped .d.ts/.d.cts fails `npm run test:package`.
import {
  decodeToken,
  legacy,
  RtcRole,
  RtcTokenBuilder,
  TokenError,
  TokenExpired,
  verifyToken,
} from 'token007'

declare const token: string
declare const appId: string
declare const appCertificate: string

// legacy.RtcRole / legacy.RtmRole are values, not only types.
const publisher: number = legacy.RtcRole.PUBLISHER
const rtmUser: number = legacy.RtmRole.Rtm_User

// The drop-in builders are classes with static methods, as in agora-token.
const isClass: boolean = typeof RtcTokenBuilder === 'function'
class MyBuilder extends RtcTokenBuilder {}
const built: string = MyBuilder.buildTokenWithUid(
  appId,
  appCertificate,
  'c',
  1,
  RtcRole.PUBLISHER,
  60,
  60,
)
const detached = RtcTokenBuilder.buildTokenWithUid
const alsoBuilt: string = detached(appId, appCertificate, 'c', 1, RtcRole.SUBSCRIBER, 60, 60)

// The common verify path types without casts.
const expiresAt: Date = verifyToken(token, appCertificate).expiresAt
try {
  verifyToken(token, appCertificate)
} catch (err) {
  if (err instanceof TokenExpired) {
    const when: Date = err.token.expiresAt
    console.log(when)
  } else if (err instanceof TokenError) {
    const code: string = err.code
    console.log(code)
  }
}

// A 006 token's 007 equivalent, straight from decodeToken.
const suggestion: string = legacy.suggest007Call(decodeToken(token))

console.log(publisher, rtmUser, isClass, built, alsoBuilt, expiresAt, suggestion)
