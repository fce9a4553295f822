// Legacy AccessToken ("006") verification: the signature over the channel and uid asked for,
// then the claims. The CRC-32 fields are not signed: they only explain refusals.
import {
  TokenClaimMismatch,
  TokenExpired,
  TokenMalformed,
  TokenSignatureInvalid,
} from '../../errors.js'
import { crc32 } from './crc32.js'
import { sign006 } from './sign.js'
import { utf8 } from '../../lib/bytes.js'
import { quoteText } from '../../lib/printable.js'
import { equalBytes } from '../../lib/bytes.js'
import type { DecodedToken006 } from '../../types.js'
import { checkAppId, checkNotExpired, hasEnded, isoTime, type VerifyContext } from '../claims.js'
import { parse006 } from './parse.js'

/** A verified 006 token: the decoded token and the index of the certificate that signed it. */
export type Verified006 = DecodedToken006 & { certificateIndex: number }

const EMPTY = new Uint8Array(0)

/**
 * Verifies a 006 token. The order of checks:
 * 1. the token's structure (the arguments were checked by verifyToken);
 * 2. `channelName` and `uid` must be given: only their CRC-32s travel, and the signature covers
 *    the originals (missing → `ERR_TOKEN_CLAIM`);
 * 3. the signature, in constant time, against each certificate in turn. When none matches and
 *    the given channel's or uid's CRC-32 differs from the token's, the token was made for
 *    another channel or uid: `ERR_TOKEN_CLAIM` (claim `channelName` / `uid`) says so; otherwise
 *    `ERR_TOKEN_SIGNATURE`. When the signature matches but a CRC-32 field does not, that
 *    unsigned field was altered: `ERR_TOKEN_MALFORMED`;
 * 4. the app id (`options.appId`);
 * 5. time: the message `ts` and every non-zero privilege time (absolute; 0 is no limit), each
 *    with the clock tolerance (`ERR_TOKEN_EXPIRED`).
 *
 * A token made for uid 0 (uid `""`) admits any uid only when its signature verifies over the
 * empty uid for the channel asked and the caller opted in (`allowAnyUid006`); otherwise such a token
 * is `ERR_TOKEN_CLAIM` for any uid but 0. The unsigned CRC-32 fields never decide it.
 */
export function verify006(
  token: string,
  certificates: readonly string[],
  context: VerifyContext,
): Verified006 {
  const { token: decoded, message } = parse006(token, context.maxPayloadBytes)
  const { channelName, uid } = context
  if (channelName === undefined || uid === undefined) {
    const missing = channelName === undefined ? 'channelName' : 'uid'
    throw new TokenClaimMismatch(
      `verifying a 006 token needs options.channelName and options.uid (options.${missing} is missing): ` +
        'the token carries only their CRC-32s. For an RTM token pass the account as channelName and uid 0',
      missing,
      undefined,
    )
  }
  const subject = { channelName, uid, allowAnyUid: context.allowAnyUid006 }
  const certificateIndex = checkSignature(decoded, message, certificates, subject)
  const verified = Object.assign(decoded, { certificateIndex })
  checkAppId(verified, context.appId)
  checkNotExpired(verified, decoded.ts, context, 'its message ts')
  for (const [key, time] of Object.entries(decoded.privileges)) {
    if (time !== 0 && hasEnded(time, context)) {
      throw new TokenExpired(`token's privilege ${key} expired at ${isoTime(time)}`, verified)
    }
  }
  return verified
}

/** The channel and uid (as text) a 006 token is checked for, and the any-uid opt-in. */
interface Subject006 {
  channelName: string
  uid: string
  allowAnyUid: boolean
}

/**
 * The index of the certificate whose signature over (app id, channel, uid, message) is the
 * token's, trying the empty uid (any uid) only after the uid asked for; throws when none is.
 */
function checkSignature(
  decoded: DecodedToken006,
  message: Uint8Array,
  certificates: readonly string[],
  subject: Subject006,
): number {
  const channel = utf8(subject.channelName)
  const uidBytes = utf8(subject.uid)
  const channelCrc = crc32(channel)
  const uidCrc = crc32(uidBytes)
  const signedBy = (uid: Uint8Array) =>
    certificates.findIndex((certificate) =>
      equalBytes(sign006(certificate, decoded.appId, channel, uid, message), decoded.signature),
    )
  let certificateIndex = signedBy(uidBytes)
  // uid 0 is written as "" and admits any uid. Only the signature may say so: the CRC-32 fields
  // are not signed, so they never decide what a token grants.
  let anyUid = uidBytes.length === 0
  if (certificateIndex < 0 && uidBytes.length > 0) {
    const anyIndex = signedBy(EMPTY)
    if (anyIndex >= 0) {
      if (!subject.allowAnyUid) {
        throw new TokenClaimMismatch(
          `token is signed for any uid (uid 0) in channel ${quoteText(subject.channelName)}, not for uid ${quoteText(subject.uid)}: ` +
            'pass allowAnyUid006: true to accept it. A 006 signature does not separate the channel from the uid, so it also reads as a token for a longer channel name (README, Compatibility)',
          'uid',
          Object.assign(decoded, { certificateIndex: anyIndex }),
        )
      }
      certificateIndex = anyIndex
      anyUid = true
    }
  }
  if (certificateIndex < 0) {
    // Refused either way; the unsigned CRC-32s only help to say why.
    if (channelCrc !== decoded.crcChannelName) {
      throw otherSubject('channelName', subject.channelName, decoded.crcChannelName, channelCrc)
    }
    if (uidCrc !== decoded.crcUid) throw otherSubject('uid', subject.uid, decoded.crcUid, uidCrc)
    throw new TokenSignatureInvalid(
      certificates.length === 1
        ? `token signature does not match the certificate for this channel and uid (is it app ${decoded.appId}'s certificate?)`
        : `token signature matches none of the ${certificates.length} certificates for this channel and uid (app ${decoded.appId})`,
    )
  }
  const signedUidCrc = anyUid ? 0 : uidCrc
  if (channelCrc !== decoded.crcChannelName || signedUidCrc !== decoded.crcUid) {
    const field = channelCrc !== decoded.crcChannelName ? 'channel name' : 'uid'
    throw new TokenMalformed(
      `token's ${field} CRC-32 field does not match the ${field} its signature covers (the unsigned field was altered)`,
    )
  }
  return certificateIndex
}

/** The claim error for a channel or uid whose CRC-32 is not the token's. */
function otherSubject(
  claim: 'channelName' | 'uid',
  given: string,
  tokenCrc: number,
  givenCrc: number,
) {
  const what = claim === 'uid' ? 'uid' : 'channel'
  const shown = quoteText(given, 40)
  return new TokenClaimMismatch(
    `token was made for another ${what} than ${shown} (its ${what} CRC-32 is ${hex8(tokenCrc)}, not ${hex8(givenCrc)})`,
    claim,
    undefined,
  )
}

function hex8(value: number): string {
  return '0x' + value.toString(16).padStart(8, '0')
}
