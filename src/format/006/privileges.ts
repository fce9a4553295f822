// The privilege ids of the legacy format (docs/format.md, "Legacy AccessToken") and the map codec
// between the public names and the wire ids.
import { InvalidArgument } from '../../errors.js'
import { U32_MAX, checkUint, invalid } from '../../lib/validate.js'
import type { Privilege006 } from '../../types.js'

/** Wire id of each named 006 privilege. */
export const PRIVILEGE_IDS: Readonly<Record<Privilege006, number>> = /* @__PURE__ */ Object.freeze({
  joinChannel: 1,
  publishAudioStream: 2,
  publishVideoStream: 3,
  publishDataStream: 4,
  rtmLogin: 1000,
})

const NAME_OF = new Map<number, Privilege006>(
  Object.entries(PRIVILEGE_IDS).map(([name, id]) => [id, name as Privilege006]),
)

const DECIMAL = /^(?:0|[1-9][0-9]{0,4})$/

/** The wire id of a privilege key (a name or a canonical decimal id 0..65535), or undefined. */
export function privilegeId006(key: string): number | undefined {
  if (Object.hasOwn(PRIVILEGE_IDS, key)) return PRIVILEGE_IDS[key as Privilege006]
  if (!DECIMAL.test(key)) return undefined
  const id = Number(key)
  return id <= 0xffff ? id : undefined
}

/** The public key of a wire id: its name when it has one, else its decimal text. */
export function privilegeKey006(id: number): Privilege006 | `${number}` {
  return NAME_OF.get(id) ?? (String(id) as `${number}`)
}

/**
 * A privilege map as [id, absolute time] pairs in ascending id order, the order every
 * standard reference packs them in.
 */
export function privilegeEntries(value: unknown, path: string): Array<[number, number]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid(path, 'an object mapping privilege names or decimal ids to Unix times', value)
  }
  const byId = new Map<number, string>()
  const entries: Array<[number, number]> = []
  for (const [key, time] of Object.entries(value)) {
    const id = privilegeId006(key)
    if (id === undefined) {
      invalid(
        `${path} key`,
        `a privilege (${Object.keys(PRIVILEGE_IDS).join(', ')}) or a decimal id 0..65535`,
        key,
      )
    }
    const clash = byId.get(id)
    if (clash !== undefined) {
      throw new InvalidArgument(
        `${path}: ${JSON.stringify(clash)} and ${JSON.stringify(key)} are both privilege ${id}`,
      )
    }
    byId.set(id, key)
    entries.push([id, checkUint(time, U32_MAX, `${path}.${key}`)])
  }
  return entries.sort((a, b) => a[0] - b[0])
}
