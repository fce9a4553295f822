// Whether the token's signature matches a given certificate, through verifyToken (which checks
// the signature before anything else, so any later refusal means the signature matched).
import { TokenError } from '../errors.js'
import type { DecodedToken } from '../types.js'
import { verifyToken } from '../verify.js'
import { safeMessage } from './escape.js'
import type { Expectations } from './expected.js'
import { AGORA, finding } from './finding.js'
import type { Finding } from './types.js'

const GIVE_CERTIFICATE =
  'give the app certificate (it stays on this machine) to check that the token was signed with it'

/** The signature findings of a decoded token. */
export function signatureFindings(
  token: string,
  decoded: DecodedToken,
  e: Expectations,
): Finding[] {
  if (e.certificates.length === 0) {
    return [
      finding(
        'SIGNATURE_NOT_CHECKED',
        'info',
        `the signature was not checked: ${GIVE_CERTIFICATE}`,
      ),
    ]
  }
  let subject: { channelName?: string; uid?: string | number } = {}
  if (decoded.version === '006') {
    // A 006 signature covers the channel name and uid; an RTM 006 token is made for (account, uid 0).
    if (e.userId !== undefined && (e.service === 'rtm' || e.channelName === undefined)) {
      subject = { channelName: e.userId, uid: 0 }
    } else if (e.channelName !== undefined && e.user !== undefined) {
      subject = {
        channelName: e.channelName,
        uid: e.user.kind === 'uid' ? Number(e.user.text || 0) : e.user.text,
      }
    } else {
      return [
        finding(
          'SIGNATURE_NOT_CHECKED',
          'info',
          'the signature was not checked: a 006 signature covers the channel name and uid, which the token holds ' +
            'only as CRC-32s; give the channel and the uid (or account), or the user id of an RTM token',
        ),
      ]
    }
  }
  try {
    verifyToken(token, e.certificates, subject)
    return []
  } catch (err) {
    if (!(err instanceof TokenError)) throw err
    if (err.code === 'ERR_TOKEN_SIGNATURE' || err.code === 'ERR_TOKEN_MALFORMED') {
      const which =
        e.certificates.length === 1
          ? 'the certificate given'
          : `none of the ${e.certificates.length} certificates given`
      return [
        finding(
          'SIGNATURE_INVALID',
          'error',
          `the signature does not match ${which}${err.code === 'ERR_TOKEN_MALFORMED' ? ` (${safeMessage(err.message)})` : ''}: ` +
            `the token was built with another certificate, or for another app (its app id is ${decoded.appId.length === 32 ? decoded.appId : 'not 32 hex characters'}). ` +
            'Build it with the primary certificate of that app, copied whole from the Agora console',
          'pass the app certificate of the same project as the app id to the builder',
          AGORA.invalidToken,
        ),
      ]
    }
    if (err.code === 'ERR_TOKEN_CLAIM') {
      return [
        finding(
          'SIGNATURE_NOT_CHECKED',
          'info',
          'the signature was not checked: the expected channel or uid is not the one this 006 token was made for (see above)',
        ),
      ]
    }
    // Expired, or another claim: refused after the signature matched.
    return []
  }
}
