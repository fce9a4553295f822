// Calling a drop-in builder by its agora-token name with a vector's positional arguments.
import { inflateSync } from 'node:zlib'

/** `'RtcTokenBuilder.buildTokenWithUid'` → the function on `builders`, or on agora-token's module. */
export function builderFunction(
  builders: Record<string, any>,
  name: string,
): (...args: unknown[]) => string {
  const [cls, method] = name.split('.')
  const owner = builders[cls]
  if (typeof owner?.[method] !== 'function') throw new Error(`no builder ${name}`)
  return (...args) => owner[method](...args)
}

/**
 * A vector's arguments as a caller passes them: the RTM2 permission set (stored in the vectors as
 * a plain object) is filled through `Permissions.add`, as the generators did.
 */
export function callArgs(name: string, args: unknown[], Permissions: new () => any): unknown[] {
  if (name !== 'RtmTokenBuilder.buildTokenWithPermissions') return args
  const permissions = new Permissions()
  for (const [resource, byPermission] of Object.entries(
    args[3] as Record<string, Record<string, string[]>>,
  )) {
    for (const [permission, names] of Object.entries(byPermission)) {
      permissions.add(Number(resource), Number(permission), names)
    }
  }
  return [...args.slice(0, 3), permissions, ...args.slice(4)]
}

/** The inflated payload of a 007 token, as hex. */
export function payloadHex(token: string): string {
  return inflateSync(Buffer.from(token.slice(3), 'base64')).toString('hex')
}

/**
 * What each positional argument of a drop-in builder is (agora-token's index.d.ts order), and so
 * which guard of issues 3 and 12 applies to it:
 * - `appCertificate` 32 hex characters, none of them upper-case;
 * - `name` channel / room: a string, not "undefined" / "null" ("" allowed);
 * - `uid` RTC uid or account: an integer 0..2^32-1 (0 = any uid) or a non-empty string, not "undefined" / "null" / "0";
 * - `user` any other user id: a non-empty string or an integer 1..2^32-1 (0 would be written as an empty id);
 * - `rtcUser` buildTokenWithRtm's account, both an RTC account and an RTM user: refused as either;
 * - `permissionUser` the user of an RTM2 permissions token: like `user`, but 0 (a wildcard user) is accepted;
 * - `role` RtcRole.PUBLISHER (1) or RtcRole.SUBSCRIBER (2);
 * - `seconds` a lifetime, an integer 0..2^32-1 outside 2000-01-01..2100-01-01 as Unix seconds,
 *   and not over 24 h and a multiple of 1,000 (milliseconds);
 *   `optionalSeconds` the same, defaulting to 0 when undefined;
 * - `apaasRole` an integer -32768..32767; `permissions` an Rtm2Permissions.
 */
export type ArgKind =
  | 'appId'
  | 'appCertificate'
  | 'name'
  | 'uid'
  | 'user'
  | 'rtcUser'
  | 'permissionUser'
  | 'role'
  | 'seconds'
  | 'optionalSeconds'
  | 'apaasRole'
  | 'permissions'

type Signature = ReadonlyArray<readonly [name: string, kind: ArgKind]>

const APP: Signature = [
  ['appId', 'appId'],
  ['appCertificate', 'appCertificate'],
]
const RTC_PRIVILEGES: Signature = [
  ['joinChannelPrivilegeExpire', 'seconds'],
  ['pubAudioPrivilegeExpire', 'seconds'],
  ['pubVideoPrivilegeExpire', 'seconds'],
  ['pubDataStreamPrivilegeExpire', 'seconds'],
]
const RTC_RTM2: Signature = [
  ...APP,
  ['channelName', 'name'],
  ['rtcAccount', 'uid'],
  ['rtcRole', 'role'],
  ['rtcTokenExpire', 'seconds'],
  ...RTC_PRIVILEGES,
  ['rtmUserId', 'user'],
  ['rtmTokenExpire', 'seconds'],
]
const APAAS: Record<string, Signature> = {
  buildRoomUserToken: [
    ...APP,
    ['roomUuid', 'name'],
    ['userUuid', 'user'],
    ['role', 'apaasRole'],
    ['expire', 'seconds'],
  ],
  buildUserToken: [...APP, ['userUuid', 'user'], ['expire', 'seconds']],
  buildAppToken: [...APP, ['expire', 'seconds']],
}

export const SIGNATURES: Readonly<Record<string, Signature>> = {
  'RtcTokenBuilder.buildTokenWithUid': [
    ...APP,
    ['channelName', 'name'],
    ['uid', 'uid'],
    ['role', 'role'],
    ['tokenExpire', 'seconds'],
    ['privilegeExpire', 'optionalSeconds'],
  ],
  'RtcTokenBuilder.buildTokenWithUserAccount': [
    ...APP,
    ['channelName', 'name'],
    ['account', 'uid'],
    ['role', 'role'],
    ['tokenExpire', 'seconds'],
    ['privilegeExpire', 'optionalSeconds'],
  ],
  'RtcTokenBuilder.buildTokenWithUidAndPrivilege': [
    ...APP,
    ['channelName', 'name'],
    ['uid', 'uid'],
    ['tokenExpire', 'seconds'],
    ...RTC_PRIVILEGES,
  ],
  'RtcTokenBuilder.BuildTokenWithUserAccountAndPrivilege': [
    ...APP,
    ['channelName', 'name'],
    ['account', 'uid'],
    ['tokenExpire', 'seconds'],
    ...RTC_PRIVILEGES,
  ],
  // The account is also the RTM user id, so 0 (an empty RTM user) is refused.
  'RtcTokenBuilder.buildTokenWithRtm': [
    ...APP,
    ['channelName', 'name'],
    ['account', 'rtcUser'],
    ['role', 'role'],
    ['tokenExpire', 'seconds'],
    ['privilegeExpire', 'optionalSeconds'],
  ],
  'RtcTokenBuilder.buildTokenWithRtm2': RTC_RTM2,
  'RtmTokenBuilder.buildToken': [...APP, ['userId', 'user'], ['expire', 'seconds']],
  'RtmTokenBuilder.buildTokenWithPermissions': [
    ...APP,
    ['userId', 'permissionUser'],
    ['permissions', 'permissions'],
    ['expire', 'seconds'],
  ],
  'ChatTokenBuilder.buildUserToken': [...APP, ['userId', 'user'], ['expire', 'seconds']],
  'ChatTokenBuilder.buildAppToken': [...APP, ['expire', 'seconds']],
  ...Object.fromEntries(
    ['ApaasTokenBuilder', 'EducationTokenBuilder'].flatMap((cls) =>
      Object.entries(APAAS).map(([method, sig]) => [`${cls}.${method}`, sig]),
    ),
  ),
  'FpaTokenBuilder.buildToken': APP,
  'ConvoAITokenBuilder.buildToken': RTC_RTM2,
  'SttTokenBuilder.buildToken': RTC_RTM2,
}

const ABSOLUTE_FROM = Date.UTC(2000, 0, 1) / 1000
const ABSOLUTE_TO = Date.UTC(2100, 0, 1) / 1000

/** The names of the arguments of a call that the default (guarded) builders must refuse. */
export function guardedArguments(builder: string, args: readonly unknown[]): string[] {
  const missingText = (v: unknown) => v === 'undefined' || v === 'null'
  return SIGNATURES[builder].flatMap(([name, kind], i) => {
    const v = args[i]
    const refused =
      (kind === 'appCertificate' && typeof v === 'string' && /[A-F]/.test(v)) ||
      (kind === 'role' && v !== 1 && v !== 2) ||
      ((kind === 'uid' || kind === 'user' || kind === 'rtcUser' || kind === 'permissionUser') &&
        (v === '' ||
          missingText(v) ||
          ((kind === 'user' || kind === 'rtcUser') && v === 0) ||
          ((kind === 'uid' || kind === 'rtcUser') && v === '0'))) ||
      (kind === 'name' && missingText(v)) ||
      ((kind === 'seconds' || kind === 'optionalSeconds') &&
        typeof v === 'number' &&
        ((v >= ABSOLUTE_FROM && v < ABSOLUTE_TO) || (v > 86_400 && v % 1000 === 0)))
    return refused ? [name] : []
  })
}
