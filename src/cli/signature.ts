// Whether a decoded token's signature matches a certificate, independently of its expiry and
// claims: `inspect --cert` reports this, `verify` goes further.
import { TokenError, verifyToken, type DecodedToken, type UserId } from '../index.js'

/** The outcome of a signature check. */
export type SignatureCheck =
  | { checked: true; valid: true; certificateIndex: number; certificates: number }
  | { checked: true; valid: false; code: string; message: string }
  | { checked: false; reason: string }

/** What a 006 signature covers besides the token: its channel and uid (only CRCs travel). */
export interface Subject006 {
  channelName?: string
  uid?: UserId
}

/**
 * Checks the signature of `token` against `certificates` through verifyToken. verifyToken checks
 * the signature before the expiry and the claims, so a token rejected as expired (or, for 006,
 * with a claim checked after it) has a valid signature.
 */
export function checkSignature(
  token: string,
  decoded: DecodedToken,
  certificates: readonly string[],
  subject: Subject006,
): SignatureCheck {
  if (
    decoded.version === '006' &&
    (subject.channelName === undefined || subject.uid === undefined)
  ) {
    return {
      checked: false,
      reason:
        'a 006 signature covers the channel name and uid, which the token holds only as CRC-32s: pass --channel and --uid (or --account)',
    }
  }
  try {
    // Only a 006 signature covers a channel and uid given from outside.
    const options = decoded.version === '006' ? { ...subject } : {}
    const verified = verifyToken(token, certificates, options)
    return valid(verified.certificateIndex, certificates.length)
  } catch (err) {
    if (!(err instanceof TokenError)) throw err
    const carried = (err as { token?: { certificateIndex?: unknown } }).token?.certificateIndex
    if (err.code !== 'ERR_TOKEN_SIGNATURE' && typeof carried === 'number') {
      return valid(carried, certificates.length)
    }
    return { checked: true, valid: false, code: err.code, message: err.message }
  }
}

function valid(certificateIndex: number, certificates: number): SignatureCheck {
  return { checked: true, valid: true, certificateIndex, certificates }
}
