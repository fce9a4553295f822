/**
 * `verifyToken`: structure, then signature (constant time), then claims and time.
 *
 * @module
 */
import { InvalidArgument } from './errors.js'
import {
  checkMaxPayloadBytes,
  checkVersionOption,
  tokenVersion,
  type DecodeOptions,
} from './decode.js'
import type { CheckedRequirement, RequirementField, VerifyContext } from './format/claims.js'
import { verify006 } from './format/006/verify.js'
import { verify007 } from './format/007/verify.js'
import { privilegeId, serviceTypeId, userIdText } from './lib/services.js'
import {
  checkHex32,
  checkOptionKeys,
  checkOptionsObject,
  checkText,
  describe,
  invalid,
  isArray,
  readOption,
} from './lib/validate.js'
import type {
  DecodedToken006,
  DecodedToken007,
  ServiceRequirement,
  ServiceType,
  UserId,
  ZeroPrivilegePolicy,
} from './types.js'

export type { ServiceRequirement, ZeroPrivilegePolicy } from './types.js'

/** Options of {@link verifyToken}. */
export interface VerifyOptions extends DecodeOptions {
  /** The time to verify at: a valid `Date`. Default: now. */
  currentDate?: Date
  /**
   * Seconds of leeway for a verifier whose clock runs ahead of the issuer's: a token is expired
   * when `currentDate >= issuedAt + expire + clockTolerance`. A finite number from 0 to
   * {@link MAX_CLOCK_TOLERANCE} (86,400, one day); default 0.
   */
  clockTolerance?: number
  /**
   * Refuse a 007 token issued in the future: when `issuedAt > currentDate + maxFutureIssue +
   * clockTolerance` (seconds, a finite number 0..86,400), with `ERR_TOKEN_CLAIM` (claim
   * `issuedAt`). Default: off, as the references do not check it. Refused for 006 tokens, which
   * carry no issue time.
   */
  maxFutureIssue?: number
  /** The app id the token must be for (32 hex characters, compared case-insensitively). */
  appId?: string
  /**
   * One or more services a 007 token must grant (all must pass; at most
   * {@link MAX_REQUIREMENTS}). Refused for 006 tokens.
   */
  require?: ServiceRequirement | readonly ServiceRequirement[]
  /** What a privilege value of 0 means; see {@link ZeroPrivilegePolicy}. Default `'token'`. */
  zeroPrivilege?: ZeroPrivilegePolicy
  /**
   * The channel the token must be for. For a 006 token it is required with `uid` (only their
   * CRC-32s travel in the token, and the signature covers the originals). For a 007 token it
   * requires an `rtc` service for that channel (and `uid`, when given), exactly as
   * `require: { service: 'rtc', channelName, uid }` does: `ERR_TOKEN_CLAIM` otherwise.
   */
  channelName?: string
  /**
   * The uid the token must be for; see {@link VerifyOptions.channelName}. In a 007 token an rtc
   * service for uid 0 (written `""`) admits any uid; in a 006 token see `allowAnyUid006`.
   */
  uid?: UserId
  /**
   * 006 tokens only: accept a token signed for any uid (uid 0) when `uid` is another uid.
   * Default `false`: such a token is refused with `ERR_TOKEN_CLAIM`, because a 006 signature does
   * not separate the channel name from the uid: the token for channel `room` and uid `142` signs
   * the same bytes as one for channel `room142` and any uid. Turn it on only for channel names
   * that cannot end in digits that are also a uid, or move to 007 tokens.
   */
  allowAnyUid006?: boolean
}

/** The largest {@link VerifyOptions.clockTolerance}, in seconds: one day. */
export const MAX_CLOCK_TOLERANCE = 86_400

/** The most certificates {@link verifyToken} takes (each costs an HMAC of a forged token). */
export const MAX_CERTIFICATES = 16

/** The most service requirements {@link VerifyOptions.require} takes. */
export const MAX_REQUIREMENTS = 64

/** Every option {@link verifyToken} knows; any other key is refused. */
const VERIFY_OPTION_KEYS = [
  'maxPayloadBytes',
  'currentDate',
  'clockTolerance',
  'appId',
  'require',
  'zeroPrivilege',
  'channelName',
  'uid',
  'allowAnyUid006',
  'maxFutureIssue',
  'version',
] as const

const REQUIREMENT_KEYS = [
  'service',
  'privilege',
  'channelName',
  'uid',
  'userId',
  'account',
  'roomUuid',
  'userUuid',
] as const

/** The claims a requirement can compare, and whether each is a user id (a number allowed). */
const MATCHED_FIELDS: ReadonlyArray<readonly [RequirementField, boolean]> = [
  ['channelName', false],
  ['uid', true],
  ['userId', true],
  ['account', true],
  ['roomUuid', false],
  ['userUuid', false],
]

/** A verified AccessToken2: the decoded token and which certificate matched. */
export type VerifiedToken007 = DecodedToken007 & {
  /** Index of the certificate that produced the signature (0 when one certificate was given). */
  certificateIndex: number
}

/** A verified legacy 006 token: the decoded token and which certificate matched. */
export type VerifiedToken006 = DecodedToken006 & {
  /** Index of the certificate that produced the signature (0 when one certificate was given). */
  certificateIndex: number
}

/**
 * The result of {@link verifyToken}: the decoded token and which certificate matched. Narrow on
 * `version`; `appId`, `expiresAt`, `signature` and `certificateIndex` exist on both.
 */
export type VerifiedToken = VerifiedToken007 | VerifiedToken006

/**
 * Verifies a token offline: its envelope and structure, its signature (compared in constant
 * time) against one certificate or a list (for certificate rotation), then the app id, the
 * token's lifetime and any required services. The result is a {@link VerifiedToken}, narrowed
 * by `version`; with `options.version` it is typed as that version.
 *
 * Every argument is checked first, strictly: an option of the wrong type or out of range, an
 * unknown option key, or an object that cannot be read (a Proxy or getter that throws) is
 * `ERR_INVALID_ARGUMENT` naming it. Nothing but a {@link TokenError} is thrown.
 *
 * @example
 * ```ts
 * const verified = verifyToken(token, [currentCertificate, previousCertificate], {
 *   appId,
 *   clockTolerance: 30,
 *   require: { service: 'rtc', privilege: 'joinChannel', channelName: 'room-1', uid: 42 },
 * })
 * console.log(verified.certificateIndex, verified.expiresAt)
 *
 * // A server that only accepts AccessToken2 gets the 007 type, with its services:
 * const token007 = verifyToken(token, certificate, { version: '007', appId })
 * console.log(token007.services)
 * ```
 * @throws {TokenError} with code `ERR_TOKEN_VERSION`, `ERR_TOKEN_MALFORMED`,
 *   `ERR_TOKEN_TOO_LARGE`, `ERR_TOKEN_SIGNATURE`, `ERR_TOKEN_CLAIM`, `ERR_TOKEN_EXPIRED`,
 *   `ERR_TOKEN_PRIVILEGE`, or `ERR_INVALID_ARGUMENT` for bad arguments
 */
export function verifyToken(
  token: string,
  appCertificate: string | readonly string[],
  options: VerifyOptions & { version: '007' },
): VerifiedToken007
/** {@link verifyToken} of a 006 token only: typed as {@link VerifiedToken006}. */
export function verifyToken(
  token: string,
  appCertificate: string | readonly string[],
  options: VerifyOptions & { version: '006' },
): VerifiedToken006
/** {@link verifyToken} of either version: narrow the result on `version`. */
export function verifyToken(
  token: string,
  appCertificate: string | readonly string[],
  options?: VerifyOptions,
): VerifiedToken
export function verifyToken(
  token: string,
  appCertificate: string | readonly string[],
  options?: VerifyOptions,
): VerifiedToken {
  const checked = checkVerifyOptions(options)
  const certificates = checkCertificates(appCertificate)
  const version = tokenVersion(token, checked.version)
  if (version === '007') return verify007(token, certificates, checked)
  // A 006 token is bound to one channel and uid (checked through options.channelName and
  // options.uid); silently skipping an option it cannot apply would pass tokens the caller meant
  // to refuse.
  if (checked.maxFutureIssueMs !== undefined) {
    throw new InvalidArgument(
      'options.maxFutureIssue: applies to 007 tokens only; a 006 token carries no issue time (its ts is when it ends)',
    )
  }
  if (checked.requirements.length > 0) {
    throw new InvalidArgument(
      'options.require: applies to 007 tokens only; a 006 token is checked against options.channelName and options.uid, and its privileges are in the result',
    )
  }
  return verify006(token, certificates, checked)
}

/** What no options read as. */
const NO_OPTIONS: object = Object.freeze({})
/** The requirements of a verification that has none. */
const NO_REQUIREMENTS: readonly CheckedRequirement[] = Object.freeze([])

/** Reads and checks every option once; nothing is read from `options` afterwards. */
function checkVerifyOptions(options: unknown): VerifyContext {
  const object = checkOptionsObject(options, 'options') ?? NO_OPTIONS
  if (object !== NO_OPTIONS) checkOptionKeys(object, 'options', VERIFY_OPTION_KEYS)
  const read = (key: (typeof VERIFY_OPTION_KEYS)[number]) => readOption(object, key, 'options')
  const appId = read('appId')
  const channelName = read('channelName')
  const uid = read('uid')
  const allowAnyUid006 = read('allowAnyUid006')
  const maxFutureIssue = read('maxFutureIssue')
  if (allowAnyUid006 !== undefined && typeof allowAnyUid006 !== 'boolean') {
    invalid('options.allowAnyUid006', 'true or false', allowAnyUid006)
  }
  const zeroPrivilege = read('zeroPrivilege') ?? 'token'
  if (zeroPrivilege !== 'token' && zeroPrivilege !== 'expired') {
    invalid('options.zeroPrivilege', "'token' or 'expired'", zeroPrivilege)
  }
  return {
    maxPayloadBytes: checkMaxPayloadBytes(read('maxPayloadBytes')),
    version: checkVersionOption(read('version')),
    nowMs: checkCurrentDate(read('currentDate')),
    toleranceMs: checkSeconds(read('clockTolerance'), 'options.clockTolerance') * 1000,
    maxFutureIssueMs:
      maxFutureIssue === undefined
        ? undefined
        : checkSeconds(maxFutureIssue, 'options.maxFutureIssue') * 1000,
    appId: appId === undefined ? undefined : checkHex32(appId, 'options.appId', false),
    requirements: checkRequirements(read('require')),
    zeroPrivilege,
    channelName:
      channelName === undefined ? undefined : checkText(channelName, 'options.channelName'),
    uid: uid === undefined ? undefined : checkUserIdText(uid, 'options.uid'),
    allowAnyUid006: allowAnyUid006 === true,
  }
}

function checkCertificates(value: unknown): readonly string[] {
  // Anything but an array is checked as one certificate, whose value is never shown.
  if (!isArray(value, 'appCertificate')) return [checkHex32(value, 'appCertificate', true)]
  const length = readOption(value, 'length', 'appCertificate')
  if (typeof length !== 'number' || length < 1 || length > MAX_CERTIFICATES) {
    throw new InvalidArgument(
      `appCertificate: expected 1..${MAX_CERTIFICATES} certificates, got an array of ${describe(length)}`,
    )
  }
  const certificates: string[] = []
  for (let i = 0; i < length; i++) {
    const path = `appCertificate[${i}]`
    certificates.push(checkHex32(readOption(value, String(i), 'appCertificate'), path, true))
  }
  return certificates
}

function checkCurrentDate(value: unknown): number {
  if (value === undefined) return Date.now()
  let ms = Number.NaN
  try {
    // Works for a Date from any realm; throws for anything else (a Proxy of a Date included).
    ms = Date.prototype.getTime.call(value)
  } catch {}
  if (Number.isNaN(ms)) invalid('options.currentDate', 'a valid Date', value)
  return ms
}

/** A finite number of seconds in 0..MAX_CLOCK_TOLERANCE; undefined is 0. */
function checkSeconds(value: unknown, path: string): number {
  if (value === undefined) return 0
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    value > MAX_CLOCK_TOLERANCE
  ) {
    invalid(path, `a number of seconds 0..${MAX_CLOCK_TOLERANCE}`, value)
  }
  return value
}

/** A user id (a string, or an integer 0..4294967295) as the text a token holds. */
function checkUserIdText(value: unknown, path: string): string {
  return checkText(userIdText(value, path), path)
}

function checkRequirements(value: unknown): readonly CheckedRequirement[] {
  if (value === undefined) return NO_REQUIREMENTS
  if (!isArray(value, 'options.require')) return [checkRequirement1(value, 'options.require')]
  const length = readOption(value, 'length', 'options.require')
  if (typeof length !== 'number' || length < 0 || length > MAX_REQUIREMENTS) {
    invalid('options.require', `at most ${MAX_REQUIREMENTS} requirements`, length)
  }
  const list: CheckedRequirement[] = []
  for (let i = 0; i < length; i++) {
    list.push(
      checkRequirement1(readOption(value, String(i), 'options.require'), `options.require[${i}]`),
    )
  }
  return list
}

function checkRequirement1(value: unknown, path: string): CheckedRequirement {
  const object = checkOptionsObject(value, path)
  if (object === undefined) invalid(path, 'an object', value)
  checkOptionKeys(object, path, REQUIREMENT_KEYS)
  const service = readOption(object, 'service', path)
  if (typeof service !== 'string' || serviceTypeId(service) === undefined) {
    invalid(`${path}.service`, "a service type such as 'rtc' or 'rtm'", service)
  }
  const type = service as ServiceType
  const checked: CheckedRequirement = { service: type, fields: [] }
  const privilege = readOption(object, 'privilege', path)
  if (privilege !== undefined) {
    const id =
      typeof privilege === 'number'
        ? Number.isInteger(privilege) && privilege >= 0 && privilege <= 0xffff
          ? privilege
          : undefined
        : typeof privilege === 'string'
          ? privilegeId(type, privilege)
          : undefined
    if (id === undefined) {
      invalid(
        `${path}.privilege`,
        `a privilege name of ${type} or a numeric id 0..65535`,
        privilege,
      )
    }
    checked.privilege = { id, name: String(privilege) }
  }
  const fields: Array<readonly [RequirementField, string]> = []
  for (const [field, isUserId] of MATCHED_FIELDS) {
    const wanted = readOption(object, field, path)
    if (wanted === undefined) continue
    const fieldPath = `${path}.${field}`
    fields.push([
      field,
      isUserId ? checkUserIdText(wanted, fieldPath) : checkText(wanted, fieldPath),
    ])
  }
  checked.fields = fields
  return checked
}
