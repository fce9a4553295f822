// The AccessToken2 service table (FORMAT.md, "Service types and their fields") as pure data:
// the library's codec (services.ts) and the token keeper's compact reader (src/client/decode/)
// both read it, so that there is one copy of the names and ids.
import type { ServiceType } from '../types.js'

/** How a field after the privilege map is packed. */
export type FieldKind =
  | 'string' // u16-length UTF-8 string
  | 'userId' // like string, but a number is written in decimal and 0 as ""
  | 'i16' // signed 16-bit integer
  | 'rtm2' // the RTM2 permission tree

/** One service type: its name, wire id, privilege names by id and fields in wire order. */
export interface ServiceSpec {
  readonly name: ServiceType
  readonly id: number
  /** Privilege names by id. */
  readonly privileges: Readonly<Record<number, string>>
  readonly fields: ReadonlyArray<readonly [name: string, kind: FieldKind]>
}

/** Every service type the format defines. */
export const SERVICE_SPECS: readonly ServiceSpec[] = [
  {
    name: 'rtc',
    id: 1,
    privileges: {
      1: 'joinChannel',
      2: 'publishAudioStream',
      3: 'publishVideoStream',
      4: 'publishDataStream',
    },
    fields: [
      ['channelName', 'string'],
      ['uid', 'userId'],
    ],
  },
  { name: 'rtm', id: 2, privileges: { 1: 'login' }, fields: [['userId', 'userId']] },
  {
    name: 'streaming',
    id: 3,
    privileges: { 1: 'publishMixStream', 2: 'publishRawStream' },
    fields: [
      ['channelName', 'string'],
      ['account', 'userId'],
    ],
  },
  { name: 'fpa', id: 4, privileges: { 1: 'login' }, fields: [] },
  { name: 'chat', id: 5, privileges: { 1: 'user', 2: 'app' }, fields: [['userId', 'userId']] },
  {
    name: 'fcdn',
    id: 6,
    privileges: { 1: 'publish', 2: 'play' },
    fields: [
      ['channelName', 'string'],
      ['account', 'userId'],
    ],
  },
  {
    name: 'apaas',
    id: 7,
    privileges: { 1: 'roomUser', 2: 'user', 3: 'app' },
    fields: [
      ['roomUuid', 'string'],
      ['userUuid', 'string'],
      ['role', 'i16'],
    ],
  },
  {
    name: 'rtm2',
    id: 8,
    privileges: { 1: 'login' },
    fields: [
      ['userId', 'userId'],
      ['permissions', 'rtm2'],
    ],
  },
  { name: 'convoai', id: 9, privileges: {}, fields: [] },
  { name: 'stt', id: 10, privileges: {}, fields: [] },
]

/** RTM2 resource type names by id (the keys of an RTM2 permission tree). */
export const RTM2_RESOURCES: Readonly<Record<number, string>> = {
  0: 'messageChannels',
  1: 'streamChannels',
  2: 'groupChannels',
  3: 'serverGroups',
  4: 'users',
}

/** RTM2 permission names by id. */
export const RTM2_PERMISSIONS: Readonly<Record<number, string>> = { 0: 'read', 1: 'write' }
