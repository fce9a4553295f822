/**
 * The public data model: services, privileges, and decoded tokens.
 *
 * A privilege map's keys are privilege names (see each service) or decimal numeric ids
 * (`'9'`, `'40000'`) for privileges the format does not name; values are seconds after
 * `issueTs` (AccessToken2) and are written as uint32.
 *
 * @module
 */

/** Keys of a privilege map: the service's named privileges, or any decimal id `"0"`..`"65535"`. */
export type PrivilegeMap<Name extends string> = { [K in Name]?: number } & {
  [id: `${number}`]: number
}

/** Privilege names of an RTC service (ids 1–4). */
export type RtcPrivilege =
  | 'joinChannel'
  | 'publishAudioStream'
  | 'publishVideoStream'
  | 'publishDataStream'
/** Privilege name of RTM, RTM2 and FPA services (id 1). */
export type LoginPrivilege = 'login'
/** Privilege names of a streaming service (ids 1–2). */
export type StreamingPrivilege = 'publishMixStream' | 'publishRawStream'
/** Privilege names of a chat service (ids 1–2). */
export type ChatPrivilege = 'user' | 'app'
/** Privilege names of an FCDN service (ids 1–2). */
export type FcdnPrivilege = 'publish' | 'play'
/** Privilege names of an APaaS (education) service (ids 1–3). */
export type ApaasPrivilege = 'roomUser' | 'user' | 'app'
/** Every privilege name the format defines, across services. */
export type PrivilegeName =
  | RtcPrivilege
  | LoginPrivilege
  | StreamingPrivilege
  | ChatPrivilege
  | FcdnPrivilege
  | ApaasPrivilege

/** Names of the service types (type ids 1–10). */
export type ServiceType =
  | 'rtc'
  | 'rtm'
  | 'streaming'
  | 'fpa'
  | 'chat'
  | 'fcdn'
  | 'apaas'
  | 'rtm2'
  | 'convoai'
  | 'stt'

/**
 * A user identity field (`uid`, `account`, `userId`). On input a string or an integer
 * 0..4294967295; the number 0 is written as the empty string (as every reference does) while the
 * string `"0"` stays `"0"`. Decoded tokens always carry the string that was written.
 */
export type UserId = string | number

/** RTC: join a channel and publish in it. Type id 1. */
export interface RtcService<Id extends UserId = UserId> {
  type: 'rtc'
  channelName: string
  /** `""` (written for uid 0) means any uid. */
  uid: Id
  privileges: PrivilegeMap<RtcPrivilege>
}
/** RTM (signalling) login. Type id 2. */
export interface RtmService<Id extends UserId = UserId> {
  type: 'rtm'
  userId: Id
  privileges: PrivilegeMap<LoginPrivilege>
}
/** Media streaming. Type id 3. */
export interface StreamingService<Id extends UserId = UserId> {
  type: 'streaming'
  channelName: string
  account: Id
  privileges: PrivilegeMap<StreamingPrivilege>
}
/** FPA (full-path acceleration). Type id 4. */
export interface FpaService {
  type: 'fpa'
  privileges: PrivilegeMap<LoginPrivilege>
}
/** Chat user or app token. Type id 5. */
export interface ChatService<Id extends UserId = UserId> {
  type: 'chat'
  userId: Id
  privileges: PrivilegeMap<ChatPrivilege>
}
/** FCDN. Type id 6. */
export interface FcdnService<Id extends UserId = UserId> {
  type: 'fcdn'
  channelName: string
  account: Id
  privileges: PrivilegeMap<FcdnPrivilege>
}
/** APaaS / Flexible Classroom (education). Type id 7. */
export interface ApaasService {
  type: 'apaas'
  roomUuid: string
  userUuid: string
  /** A signed 16-bit integer (-32768..32767). */
  role: number
  privileges: PrivilegeMap<ApaasPrivilege>
}
/** RTM 2 with resource permissions. Type id 8. */
export interface Rtm2Service<Id extends UserId = UserId> {
  type: 'rtm2'
  userId: Id
  permissions: Rtm2PermissionMap
  privileges: PrivilegeMap<LoginPrivilege>
}
/** Conversational AI agent (an empty privilege map in the builders). Type id 9. */
export interface ConvoaiService {
  type: 'convoai'
  privileges: PrivilegeMap<never>
}
/** Speech-to-text (an empty privilege map in the builders). Type id 10. */
export interface SttService {
  type: 'stt'
  privileges: PrivilegeMap<never>
}

/** RTM2 resource types (ids 0–4). */
export type Rtm2ResourceType =
  | 'messageChannels'
  | 'streamChannels'
  | 'groupChannels'
  | 'serverGroups'
  | 'users'
/** RTM2 permission types (ids 0–1). */
export type Rtm2PermissionType = 'read' | 'write'
/**
 * RTM2 permissions: resource type (name or decimal id) → permission (name or decimal id) →
 * resource names, e.g. `{ messageChannels: { read: ['lobby'], write: ['lobby'] } }`.
 */
export type Rtm2PermissionMap = {
  [R in Rtm2ResourceType | `${number}`]?: { [P in Rtm2PermissionType | `${number}`]?: string[] }
}

/** A service as given to {@link buildToken}: identity fields accept strings or numbers. */
export type Service =
  | RtcService
  | RtmService
  | StreamingService
  | FpaService
  | ChatService
  | FcdnService
  | ApaasService
  | Rtm2Service
  | ConvoaiService
  | SttService

/** A service as decoded from a token: identity fields are the strings that were written. */
export type DecodedService =
  | RtcService<string>
  | RtmService<string>
  | StreamingService<string>
  | FpaService
  | ChatService<string>
  | FcdnService<string>
  | ApaasService
  | Rtm2Service<string>
  | ConvoaiService
  | SttService

/** A decoded AccessToken2 ("007") token. Decoding does not check the signature. */
export interface DecodedToken007 {
  version: '007'
  appId: string
  /** Unix seconds when the token was made. */
  issueTs: number
  /** Lifetime in seconds after `issueTs`. */
  expire: number
  salt: number
  /** `issueTs` as a Date. */
  issuedAt: Date
  /** `issueTs + expire` as a Date. */
  expiresAt: Date
  /** The services in the order they appear in the token. */
  services: DecodedService[]
  /** The 32-byte HMAC-SHA256 signature. */
  signature: Uint8Array
  /**
   * Present when parsing met a service type this library does not know: the services after it
   * are opaque (still covered by the signature) and are not listed.
   */
  unknownServiceType?: number
}

/** Privilege names of a legacy 006 token. */
export type Privilege006 =
  | 'joinChannel'
  | 'publishAudioStream'
  | 'publishVideoStream'
  | 'publishDataStream'
  | 'rtmLogin'

/** A decoded legacy AccessToken ("006"). Decoding does not check the signature. */
export interface DecodedToken006 {
  version: '006'
  appId: string
  salt: number
  /** The message timestamp: absolute Unix seconds (the references set now + 24 h). */
  ts: number
  /**
   * `ts` as a Date: when the token itself ends. It has the name and meaning of
   * {@link DecodedToken007.expiresAt}, so `decoded.expiresAt` works on either version; a 006
   * privilege may end earlier (see `privileges`). A 006 token carries no issue time.
   */
  expiresAt: Date
  /** Absolute Unix seconds per privilege; 0 means no limit. Unknown ids by decimal id. */
  privileges: PrivilegeMap<Privilege006>
  /** CRC-32 of the channel name (only the CRC travels in the token). */
  crcChannelName: number
  /** CRC-32 of the uid string. */
  crcUid: number
  /** The 32-byte HMAC-SHA256 signature. */
  signature: Uint8Array
}

/**
 * Any decoded token: narrow on `version` (or ask for one version with the `version` option of
 * `decodeToken`/`verifyToken`). `appId`, `expiresAt` and `signature` exist on both.
 *
 * @example
 * ```ts
 * const decoded = decodeToken(token)
 * console.log(decoded.expiresAt)
 * if (decoded.version === '007') console.log(decoded.services)
 * else console.log(decoded.privileges)
 * ```
 */
export type DecodedToken = DecodedToken007 | DecodedToken006

/** A token version this library reads: `'007'` (AccessToken2) or `'006'` (legacy AccessToken). */
export type TokenVersion = DecodedToken['version']

/**
 * A service the token must grant for `verifyToken` to pass. Only the fields given are
 * compared; a token uid of `""` (uid 0) matches any uid.
 *
 * @example
 * ```ts
 * { service: 'rtc', privilege: 'joinChannel', channelName: 'room-1', uid: 42 }
 * { service: 'rtm', privilege: 'login', userId: 'alice' }
 * ```
 */
export interface ServiceRequirement {
  service: ServiceType
  /** A privilege name of that service, or its numeric id. Omit to require only the service. */
  privilege?: string | number
  channelName?: string
  uid?: UserId
  userId?: UserId
  account?: UserId
  roomUuid?: string
  userUuid?: string
}

/**
 * What a privilege value of 0 means when a requirement checks it. The references' builders
 * default `privilegeExpire` to 0, and in the legacy 006 format 0 meant "no limit", so by default
 * (`'token'`) such a privilege lasts as long as the token itself. `'expired'` treats 0 literally:
 * the privilege ended at `issueTs`.
 */
export type ZeroPrivilegePolicy = 'token' | 'expired'
