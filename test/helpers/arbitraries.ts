// fast-check arbitraries for valid buildToken inputs, and the data model → expected decode map.
import fc from 'fast-check'

const HEX = '0123456789abcdefABCDEF'.split('')
export const hex32 = fc.string({ unit: fc.constantFrom(...HEX), minLength: 32, maxLength: 32 })
export const uint32 = fc.integer({ min: 0, max: 0xffffffff })
export const uint16 = fc.integer({ min: 0, max: 0xffff })

/** Unicode text (well-formed), occasionally at the format's 65,535-byte maximum. */
export const text = fc.oneof(
  { weight: 20, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('x'.repeat(65535), '한'.repeat(21845), '😀'.repeat(16383) + 'abc'),
  },
)
const shortText = fc.string({ unit: 'binary', maxLength: 16 })

export const userId = fc.oneof(shortText, uint32, fc.constant(0), fc.constant('0'))

const PRIVILEGES: Record<string, string[]> = {
  rtc: ['joinChannel', 'publishAudioStream', 'publishVideoStream', 'publishDataStream'],
  rtm: ['login'],
  streaming: ['publishMixStream', 'publishRawStream'],
  fpa: ['login'],
  chat: ['user', 'app'],
  fcdn: ['publish', 'play'],
  apaas: ['roomUser', 'user', 'app'],
  rtm2: ['login'],
  convoai: [],
  stt: [],
}

/** A privilege map keyed by names and decimal ids (never the same id twice). */
function privileges(type: string) {
  const names = PRIVILEGES[type]
  return fc
    .uniqueArray(fc.oneof(fc.integer({ min: 1, max: 12 }), uint16), { maxLength: 6 })
    .chain((ids) =>
      fc.tuple(
        fc.constant(ids),
        fc.array(uint32, { minLength: ids.length, maxLength: ids.length }),
        fc.array(fc.boolean(), { minLength: ids.length, maxLength: ids.length }),
      ),
    )
    .map(([ids, values, byName]) =>
      Object.fromEntries(
        ids.map((id, i) => [byName[i] && names[id - 1] ? names[id - 1] : String(id), values[i]]),
      ),
    )
}

const RESOURCES = ['messageChannels', 'streamChannels', 'groupChannels', 'serverGroups', 'users']
const permissions = fc.dictionary(
  fc.oneof(fc.constantFrom(...RESOURCES), fc.integer({ min: 5, max: 65535 }).map(String)),
  fc.dictionary(
    fc.oneof(fc.constantFrom('read', 'write'), fc.integer({ min: 2, max: 65535 }).map(String)),
    fc.array(shortText, { maxLength: 4 }),
    { maxKeys: 3 },
  ),
  { maxKeys: 3 },
)

export const service = fc.oneof(
  fc.record({
    type: fc.constant('rtc'),
    channelName: text,
    uid: userId,
    privileges: privileges('rtc'),
  }),
  fc.record({ type: fc.constant('rtm'), userId, privileges: privileges('rtm') }),
  fc.record({
    type: fc.constant('streaming'),
    channelName: shortText,
    account: userId,
    privileges: privileges('streaming'),
  }),
  fc.record({ type: fc.constant('fpa'), privileges: privileges('fpa') }),
  fc.record({ type: fc.constant('chat'), userId, privileges: privileges('chat') }),
  fc.record({
    type: fc.constant('fcdn'),
    channelName: shortText,
    account: userId,
    privileges: privileges('fcdn'),
  }),
  fc.record({
    type: fc.constant('apaas'),
    roomUuid: shortText,
    userUuid: shortText,
    role: fc.integer({ min: -32768, max: 32767 }),
    privileges: privileges('apaas'),
  }),
  fc.record({ type: fc.constant('rtm2'), userId, permissions, privileges: privileges('rtm2') }),
  fc.record({ type: fc.constant('convoai'), privileges: privileges('convoai') }),
  fc.record({ type: fc.constant('stt'), privileges: privileges('stt') }),
)

export const buildInput = fc.record({
  appId: hex32,
  appCertificate: hex32,
  expire: uint32,
  issueTs: uint32,
  salt: uint32,
  services: fc.array(service, { minLength: 1, maxLength: 4 }),
})

const TYPE_IDS: Record<string, number> = {
  rtc: 1,
  rtm: 2,
  streaming: 3,
  fpa: 4,
  chat: 5,
  fcdn: 6,
  apaas: 7,
  rtm2: 8,
  convoai: 9,
  stt: 10,
}
export const typeId = (name: string) => TYPE_IDS[name]

const idText = (v: string | number) => (typeof v === 'number' ? (v === 0 ? '' : String(v)) : v)

/** What decodeToken must report for a service built from `s` (FORMAT.md semantics). */
export function expectedDecoded(s: any): any {
  const out: any = { ...s }
  for (const k of ['uid', 'userId', 'account']) if (k in s) out[k] = idText(s[k])
  const names = PRIVILEGES[s.type]
  out.privileges = Object.fromEntries(
    Object.entries(s.privileges).map(([k, v]) => [
      /^\d+$/.test(k) && names[Number(k) - 1] ? names[Number(k) - 1] : k,
      v,
    ]),
  )
  if (s.permissions) {
    out.permissions = Object.fromEntries(
      Object.entries(s.permissions).map(([r, perms]: [string, any]) => [
        /^\d+$/.test(r) && RESOURCES[Number(r)] ? RESOURCES[Number(r)] : r,
        Object.fromEntries(
          Object.entries(perms).map(([p, list]) => [
            p === '0' ? 'read' : p === '1' ? 'write' : p,
            list,
          ]),
        ),
      ]),
    )
  }
  return out
}
