/**
 * Packing and signing a legacy AccessToken ("006"): `buildToken006`, the raw, format-exact
 * builder, and `assemble006`, which the legacy drop-in builders end in. The format:
 * docs/format.md.
 *
 * @module
 */
import { InvalidArgument } from '../../errors.js'
import { encodeBase64 } from '../../lib/base64.js'
import { ByteWriter } from '../../lib/bytes.js'
import { nowSeconds } from '../../lib/clock.js'
import { randomSalt } from '../../lib/random.js'
import {
  U16_MAX,
  U32_MAX,
  checkHex32,
  checkString,
  checkUint,
  invalid,
} from '../../lib/validate.js'
import { userIdText } from '../../lib/services.js'
import type { Privilege006, PrivilegeMap, UserId } from '../../types.js'
import { crc32 } from './crc32.js'
import { privilegeEntries } from './privileges.js'
import { sign006 } from './sign.js'

/** Input of {@link buildToken006}. */
export interface BuildToken006Input {
  /** The app id: 32 hexadecimal characters. */
  appId: string
  /** The app certificate: 32 hexadecimal characters, used as ASCII text like every reference. */
  appCertificate: string
  /** The channel name (for an RTM token: the user account). */
  channelName: string
  /** The uid: an integer 0..4294967295 (0 is written as `""`, any uid) or a string account. */
  uid: UserId
  /**
   * Privilege → **absolute** Unix seconds when it ends (uint32; 0 means no limit). Keys are
   * names (`joinChannel`, `publishAudioStream`, `publishVideoStream`, `publishDataStream`,
   * `rtmLogin`) or decimal ids such as `'101'`.
   */
  privileges: PrivilegeMap<Privilege006>
  /** The message timestamp, absolute Unix seconds (uint32). Default: now + 24 h, as in the references. */
  ts?: number
  /** uint32. Default: uniformly random in 1..99,999,999 from `crypto.getRandomValues`. */
  salt?: number
}

/** The references' default message timestamp: 24 hours after the build. */
export const DEFAULT_TS_OFFSET = 24 * 3600

const SIGNATURE_LENGTH = 32
// m = u32 salt, u32 ts, u16 count, count × (u16 id, u32 time); it travels as a u16-length string.
const MAX_PRIVILEGES = Math.floor((U16_MAX - 10) / 6)

/**
 * Builds a legacy AccessToken ("006"), byte for byte the token the Python, Java, Go, C++ and
 * Node references produce for the same inputs, `ts` and `salt`.
 *
 * This is the raw layer: privilege times are absolute Unix seconds written as given (any
 * uint32; 0 means no limit) and nothing is second-guessed. The `legacy` builders add the
 * guards against the classic mistakes on top of it.
 *
 * @example
 * ```ts
 * const inAnHour = Math.floor(Date.now() / 1000) + 3600
 * const token = buildToken006({
 *   appId, appCertificate,
 *   channelName: 'room-1', uid: 42,
 *   privileges: { joinChannel: inAnHour, publishAudioStream: inAnHour },
 * })
 * ```
 * @throws {InvalidArgument} when an input cannot be represented in the format
 */
export function buildToken006(input: BuildToken006Input): string {
  if (typeof input !== 'object' || input === null)
    invalid('buildToken006 input', 'an object', input)
  const appId = checkHex32(input.appId, 'appId', false)
  const certificate = checkHex32(input.appCertificate, 'appCertificate', true)
  const channel = checkString(input.channelName, 'channelName')
  const uid = checkString(userIdText(input.uid, 'uid'), 'uid')
  const privileges = privilegeEntries(input.privileges, 'privileges')
  if (privileges.length > MAX_PRIVILEGES) {
    throw new InvalidArgument(
      `privileges: has ${privileges.length} entries; the format allows at most ${MAX_PRIVILEGES}`,
    )
  }
  const ts = input.ts === undefined ? defaultTs(nowSeconds()) : checkUint(input.ts, U32_MAX, 'ts')
  const salt = input.salt === undefined ? randomSalt() : checkUint(input.salt, U32_MAX, 'salt')
  return assemble006(appId, certificate, channel, uid, salt, ts, privileges)
}

/** The default message timestamp for a build at `nowSeconds`, refused past the uint32 range. */
export function defaultTs(now: number): number {
  const ts = now + DEFAULT_TS_OFFSET
  if (ts > U32_MAX)
    throw new InvalidArgument(`ts: now + 24 h (${ts}) is past the uint32 range of the format`)
  return ts
}

/** Packs and signs validated inputs (docs/format.md, "Legacy AccessToken"). */
export function assemble006(
  appId: string,
  certificate: string,
  channel: Uint8Array,
  uid: Uint8Array,
  salt: number,
  ts: number,
  privileges: ReadonlyArray<readonly [number, number]>,
): string {
  const m = new ByteWriter(10 + 6 * privileges.length).u32(salt).u32(ts).u16(privileges.length)
  for (const [id, time] of privileges) m.u16(id).u32(time)
  const message = m.result()

  const signature = sign006(certificate, appId, channel, uid, message)

  const content = new ByteWriter(2 + SIGNATURE_LENGTH + 8 + 2 + message.length)
    .bytes(signature)
    .u32(crc32(channel))
    .u32(crc32(uid))
    .bytes(message)
  return '006' + appId + encodeBase64(content.result())
}
