// 006 signing (docs/format.md, "Legacy AccessToken"): HMAC-SHA256 keyed with the certificate's ASCII
// text over appId + channelName + uid + m. The CRC-32 fields are not covered.
import { asciiBytes, utf8 } from '../../lib/bytes.js'
import { hmacSha256 } from '../../lib/sign.js'

/** The 32-byte signature of a 006 message `m` for one channel and uid. */
export function sign006(
  certificate: string,
  appId: string,
  channel: Uint8Array,
  uid: Uint8Array,
  message: Uint8Array,
): Uint8Array {
  const appIdBytes = utf8(appId)
  const signed = new Uint8Array(appIdBytes.length + channel.length + uid.length + message.length)
  signed.set(appIdBytes, 0)
  signed.set(channel, appIdBytes.length)
  signed.set(uid, appIdBytes.length + channel.length)
  signed.set(message, appIdBytes.length + channel.length + uid.length)
  return hmacSha256(asciiBytes(certificate), signed)
}
