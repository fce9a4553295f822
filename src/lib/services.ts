// The AccessToken2 service table (FORMAT.md, "Service types and their fields") and the codec that
// packs a service object into bytes and reads it back.
import type { ByteReader, ByteWriter } from './bytes.js'
import { InvalidArgument, TokenMalformed } from '../errors.js'
import type { DecodedService, ServiceType } from '../types.js'
import { U16_MAX, U32_MAX, checkString, fieldPath, invalid } from './validate.js'
import {
  RTM2_PERMISSIONS,
  RTM2_RESOURCES,
  SERVICE_SPECS,
  type ServiceSpec,
} from './service-table.js'

type IndexedSpec = ServiceSpec & { readonly privilegeIds: Map<string, number> }

const BY_NAME = new Map<string, IndexedSpec>()
const BY_ID = new Map<number, ServiceSpec>()
for (const spec of SERVICE_SPECS) {
  const privilegeIds = new Map(
    Object.entries(spec.privileges).map(([id, name]) => [name, Number(id)]),
  )
  BY_NAME.set(spec.name, { ...spec, privilegeIds })
  BY_ID.set(spec.id, spec)
}

const RTM2_RESOURCE_IDS = invert(RTM2_RESOURCES)
const RTM2_PERMISSION_IDS = invert(RTM2_PERMISSIONS)

function invert(table: Readonly<Record<number, string>>): Map<string, number> {
  return new Map(Object.entries(table).map(([id, name]) => [name, Number(id)]))
}

/**
 * The names of every service type the format defines, in type-id order: `SERVICE_TYPES[id - 1]`
 * is the name of type `id` (docs/format.md, "Service types").
 */
export const SERVICE_TYPES: readonly ServiceType[] = /* @__PURE__ */ Object.freeze(
  [...SERVICE_SPECS].sort((a, b) => a.id - b.id).map((spec) => spec.name),
)

/** The service type id of a service name, or undefined. */
export function serviceTypeId(name: string): number | undefined {
  return BY_NAME.get(name)?.id
}

/** The privilege id of a name within a service type (or of a decimal id), or undefined. */
export function privilegeId(service: ServiceType, key: string): number | undefined {
  const named = BY_NAME.get(service)?.privilegeIds.get(key)
  return named ?? decimalId(key)
}

const DECIMAL = /^(?:0|[1-9][0-9]{0,4})$/

/**
 * The id of an RTM2 resource-type or permission key: a name from `names` or a decimal id, or
 * undefined. A one-digit key, the usual one (agora-token's `details` are keyed by ids 0..4),
 * is read without the map lookup and the regular expression: ~0.13 µs of preparing a few
 * permissions' ~0.8 µs.
 */
function rtm2KeyId(key: string, names: Map<string, number>): number | undefined {
  if (key.length === 1) {
    const digit = key.charCodeAt(0) - 48
    if (digit >= 0 && digit <= 9) return digit
  }
  return names.get(key) ?? decimalId(key)
}

/** A canonical decimal id 0..65535, or undefined. */
function decimalId(key: string): number | undefined {
  if (!DECIMAL.test(key)) return undefined
  const id = Number(key)
  return id <= U16_MAX ? id : undefined
}

/** Resolves a map key that is either a name from `names` or a decimal id; throws otherwise. */
function keyId(key: string, names: Map<string, number>, path: string, what: string): number {
  const id = names.get(key) ?? decimalId(key)
  if (id === undefined) {
    const known = [...names.keys()]
    const expected = known.length
      ? `${what} (${known.join(', ')}) or a decimal id 0..65535`
      : `a decimal ${what} id 0..65535 (this service defines no named ${what}s)`
    invalid(path, expected, key)
  }
  return id
}

/**
 * The text written for a uid / account / userId (FORMAT.md: a number in decimal, 0 as "").
 * Errors name `path`, or `path.field` when a field is given.
 */
export function userIdText(value: unknown, path: string, field?: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= U32_MAX) {
    return value === 0 ? '' : String(value)
  }
  return invalid(fieldPath(path, field), 'an integer 0..4294967295 or a string', value)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Validates a privilege map and returns it as [id, seconds, id, seconds, …] in increasing id
 * order. Error paths are only built when an error is thrown: building them for every key costs
 * more than the rest of the check.
 */
function privilegePairs(spec: IndexedSpec, value: unknown, servicePath: string): number[] {
  if (!isPlainObject(value)) {
    invalid(
      `${servicePath}.privileges`,
      'an object mapping privilege names or ids to seconds',
      value,
    )
  }
  const pairs: number[] = []
  for (const key of Object.keys(value)) {
    // A named privilege is found without building keyId's error-message arguments.
    const id =
      spec.privilegeIds.get(key) ??
      keyId(key, spec.privilegeIds, `${servicePath}.privileges`, `${spec.name} privilege`)
    const lifetime = value[key]
    if (
      typeof lifetime !== 'number' ||
      !Number.isInteger(lifetime) ||
      lifetime < 0 ||
      lifetime > U32_MAX
    ) {
      invalid(`${servicePath}.privileges.${key}`, `an integer 0..${U32_MAX}`, lifetime)
    }
    // Insertion in id order: a service has a handful of named privileges, and Object.keys lists
    // decimal keys in increasing order, so each insertion moves at most a few entries.
    let at = pairs.length
    pairs.push(0, 0)
    for (; at > 0 && pairs[at - 2] >= id; at -= 2) {
      if (pairs[at - 2] === id) {
        throw new InvalidArgument(
          `${servicePath}.privileges: privilege id ${id} is given twice (by name and by id)`,
        )
      }
      pairs[at] = pairs[at - 2]
      pairs[at + 1] = pairs[at - 1]
    }
    pairs[at] = id
    pairs[at + 1] = lifetime
  }
  return pairs
}

function writeRtm2(w: ByteWriter, value: unknown, path: string): void {
  if (value instanceof PreparedRtm2Permissions) {
    writeRtm2Entries(w, value.resources, path)
    return
  }
  if (!isPlainObject(value)) invalid(path, 'an object mapping resource types to permissions', value)
  // Resource types, and per type the permissions, are kept in increasing id order as they are
  // read: a token has a handful, for which inserting beats Sets and sorting. Error paths are
  // joined only for an error.
  const resources: ResourceEntry[] = []
  for (const rKey of Object.keys(value)) {
    const rId =
      RTM2_RESOURCE_IDS.get(rKey) ??
      decimalId(rKey) ??
      keyId(rKey, RTM2_RESOURCE_IDS, path, 'resource type')
    const rAt = insertionIndex(resources, rId)
    if (rAt < 0) throw new InvalidArgument(`${path}: resource type ${rId} is given twice`)
    const perms = value[rKey]
    if (!isPlainObject(perms))
      invalid(`${path}.${rKey}`, 'an object mapping permissions to resource lists', perms)
    const permEntries: PermissionEntry[] = []
    for (const pKey of Object.keys(perms)) {
      const pId =
        RTM2_PERMISSION_IDS.get(pKey) ??
        decimalId(pKey) ??
        keyId(pKey, RTM2_PERMISSION_IDS, `${path}.${rKey}`, 'permission')
      const pAt = insertionIndex(permEntries, pId)
      if (pAt < 0) throw new InvalidArgument(`${path}.${rKey}: permission ${pId} is given twice`)
      const list = perms[pKey]
      if (!Array.isArray(list))
        invalid(`${path}.${rKey}.${pKey}`, 'an array of resource names', list)
      if (list.length > U16_MAX) {
        throw new InvalidArgument(
          `${path}.${rKey}.${pKey}: has ${list.length} resources; the format allows at most 65535`,
        )
      }
      const names = list.map((name, i) => resourceName(name, path, rKey, pKey, i))
      permEntries.splice(pAt, 0, [pId, names, rKey, pKey])
    }
    resources.splice(rAt, 0, [rId, permEntries])
  }
  writeRtm2Entries(w, resources, path)
}

/**
 * From this many names on, a permission's names are written by one `ByteWriter.asciiTexts`
 * call; a few names (a token of the realistic mix has one to four per list) are copied faster
 * one by one than joined and encoded.
 */
const MANY_NAMES = 16

/** Writes RTM2 permissions read and checked by writeRtm2 or {@link prepareRtm2Permissions}. */
function writeRtm2Entries(
  w: ByteWriter,
  resources: ReadonlyArray<ResourceEntry>,
  path: string,
): void {
  w.u16(resources.length)
  for (const [rId, perms] of resources) {
    w.u16(rId).u16(perms.length)
    for (const [pId, names, rKey, pKey] of perms) {
      w.u16(pId).u16(names.length)
      // A long list of short ASCII names (the usual large permission set) in one encoder call.
      if (names.length >= MANY_NAMES && w.asciiTexts(names)) continue
      for (let i = 0; i < names.length; i++) {
        // ASCII (the usual name) is written as its character codes; other text is checked and
        // encoded here, with checkString's errors (a lone surrogate, too many UTF-8 bytes).
        if (!w.asciiText(names[i])) w.bytes(checkString(names[i], `${path}.${rKey}.${pKey}`, i))
      }
    }
  }
}

/** Where id goes in `entries` (increasing ids), or -1 when it is there already. */
function insertionIndex(
  entries: ReadonlyArray<readonly [number, ...unknown[]]>,
  id: number,
): number {
  let at = entries.length
  while (at > 0 && entries[at - 1][0] > id) at--
  return at > 0 && entries[at - 1][0] === id ? -1 : at
}

/**
 * One permission's resource names as read, kept until the permissions are written in id order:
 * [permission id, names, resource-type key, permission key] (the keys name it in errors).
 */
type PermissionEntry = [number, string[], string, string]

/** One resource type's permissions in increasing id order: [resource type id, permissions]. */
type ResourceEntry = [number, PermissionEntry[]]

/**
 * RTM2 permissions already read from an object of agora-token's `details` shape and checked by
 * {@link prepareRtm2Permissions}: an RTM2 service may carry this instead of a permission map
 * (the RTM builders pass it), and it is written as it is. Internal: not exported by the package.
 */
export class PreparedRtm2Permissions {
  /** @param resources the resource types in increasing id order, each with its permissions */
  constructor(readonly resources: ReadonlyArray<ResourceEntry>) {}
}

/**
 * Reads agora-token's RTM2 `details` (resource type → permission type → resource names) once,
 * into the form {@link writeService} writes, when it is plain data that an RTM2 service accepts:
 * plain objects (JSON would copy them as they are) of arrays of strings, keys that name or number
 * a resource type or permission once each, at most 65535 names of at most 65535 UTF-16 units.
 * Anything else gives undefined, and the caller takes the general path, which reports what is
 * wrong. One pass instead of a copy of the map and a second pass over the copy: `Object.keys` of
 * an object whose keys are indices costs ~0.1 µs, and with the copy's objects this was ~2 µs of
 * a ~16 µs RTM2 build. Runs the getters of a hostile object: the caller reports their errors.
 */
export function prepareRtm2Permissions(details: unknown): PreparedRtm2Permissions | undefined {
  if (!isPlainData(details)) return undefined
  const resources: ResourceEntry[] = []
  for (const rKey of Object.keys(details)) {
    const rId = rtm2KeyId(rKey, RTM2_RESOURCE_IDS)
    const perms = (details as Record<string, unknown>)[rKey]
    if (rId === undefined || rKey === '__proto__' || !isPlainData(perms)) return undefined
    const rAt = insertionIndex(resources, rId)
    if (rAt < 0) return undefined
    const permEntries: PermissionEntry[] = []
    for (const pKey of Object.keys(perms)) {
      const pId = rtm2KeyId(pKey, RTM2_PERMISSION_IDS)
      const list = (perms as Record<string, unknown>)[pKey]
      if (pId === undefined || pKey === '__proto__' || !Array.isArray(list)) return undefined
      if (Object.getPrototypeOf(list) !== Array.prototype || list.length > U16_MAX) return undefined
      const pAt = insertionIndex(permEntries, pId)
      if (pAt < 0) return undefined
      const names: string[] = []
      for (let i = 0; i < list.length; i++) {
        const name: unknown = list[i]
        if (typeof name !== 'string' || name.length > U16_MAX) return undefined
        names.push(name)
      }
      // Keys that are ids come in increasing order (Object.keys lists index keys so): appending
      // saves a splice, which cost ~0.2 µs per token.
      if (pAt === permEntries.length) permEntries.push([pId, names, rKey, pKey])
      else permEntries.splice(pAt, 0, [pId, names, rKey, pKey])
    }
    if (rAt === resources.length) resources.push([rId, permEntries])
    else resources.splice(rAt, 0, [rId, permEntries])
  }
  return new PreparedRtm2Permissions(resources)
}

/** An object JSON copies as its own enumerable properties: Object's prototype, no toJSON. */
function isPlainData(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype &&
    !('toJSON' in value)
  )
}

/**
 * A resource name as read: a string of at most 65535 UTF-16 units, else checkString's error. Its
 * UTF-8 form is checked as it is written, so that an ASCII name (the usual one) is scanned once
 * and never encoded into an array of its own: a build with ~8 KB of names spent ~12% of its time
 * on those arrays and a separate ASCII scan.
 */
function resourceName(name: unknown, path: string, rKey: string, pKey: string, i: number): string {
  if (typeof name !== 'string' || name.length > U16_MAX) {
    // Throws: not a string, or more UTF-8 bytes than a u16 length can say.
    checkString(name, `${path}.${rKey}.${pKey}`, i)
  }
  return name as string
}

/**
 * Validates one service and packs it. Packing and validation are one pass so that a value is
 * read exactly once (a getter cannot show one value to the check and another to the packer).
 *
 * @param path the service's place in error messages, e.g. `services[0]`
 */
export function writeService(w: ByteWriter, service: unknown, path: string): void {
  if (!isPlainObject(service)) invalid(path, 'a service object', service)
  const type = service.type
  const spec = typeof type === 'string' ? BY_NAME.get(type) : undefined
  if (spec === undefined) {
    invalid(`${path}.type`, `one of ${SERVICE_SPECS.map((s) => `'${s.name}'`).join(', ')}`, type)
  }
  const privileges = privilegePairs(spec, service.privileges, path)
  const count = privileges.length >>> 1
  if (count > U16_MAX) {
    throw new InvalidArgument(
      `${path}.privileges: has ${count} privileges; the format allows at most 65535`,
    )
  }
  w.u16(spec.id).u16(count)
  for (let i = 0; i < privileges.length; i += 2) w.u16(privileges[i]).u32(privileges[i + 1])
  for (const [name, kind] of spec.fields) {
    const value = service[name]
    switch (kind) {
      case 'string':
        if (typeof value !== 'string' || !w.asciiText(value))
          w.bytes(checkString(value, path, name))
        break
      case 'userId': {
        const text = userIdText(value, path, name)
        if (!w.asciiText(text)) w.bytes(checkString(text, path, name))
        break
      }
      case 'i16':
        if (
          typeof value !== 'number' ||
          !Number.isInteger(value) ||
          value < -0x8000 ||
          value > 0x7fff
        ) {
          invalid(`${path}.${name}`, 'an integer -32768..32767', value)
        }
        w.u16(value & 0xffff)
        break
      case 'rtm2':
        writeRtm2(w, value, `${path}.${name}`)
        break
    }
  }
}

/** Error-message paths of the first services, made once rather than per token. */
const SERVICE_PATHS = Array.from({ length: 16 }, (_, i) => `services[${i}]`)

/** `services[index]`, the place of a service in error messages. */
export function servicePath(index: number): string {
  return index < SERVICE_PATHS.length ? SERVICE_PATHS[index] : `services[${index}]`
}

/** The type id of a service object that {@link writeService} accepts (used to sort services). */
export function serviceTypeOf(service: unknown): number {
  const type = isPlainObject(service) ? service.type : undefined
  return (typeof type === 'string' && BY_NAME.get(type)?.id) || 0
}

function nameOf(table: Readonly<Record<number, string>>, id: number): string {
  return table[id] ?? String(id)
}

function readRtm2(r: ByteReader, path: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {}
  // The names of what is read are given in parts, joined only for an error message, and the
  // parts are joined once per resource type and per permission rather than once per read.
  const resourceCount = r.u16(path, ' resource type count')
  for (let i = 0; i < resourceCount; i++) {
    const rName = nameOf(RTM2_RESOURCES, r.u16(path, ' resource type'))
    if (rName in out) throw new TokenMalformed(`${path} lists resource type ${rName} twice`)
    const perms: Record<string, string[]> = {}
    out[rName] = perms
    const rPath = `${path}.${rName}`
    const permCount = r.u16(rPath, ' permission count')
    for (let j = 0; j < permCount; j++) {
      const pName = nameOf(RTM2_PERMISSIONS, r.u16(rPath, ' permission type'))
      if (pName in perms) throw new TokenMalformed(`${rPath} lists permission ${pName} twice`)
      const pPath = `${rPath}.${pName}`
      const count = r.u16(pPath, ' resource count')
      perms[pName] = r.strings(count, pPath)
    }
  }
  return out
}

/**
 * Reads one service whose type id has already been read. Returns undefined for a type this
 * library does not know (its length is unknown, so parsing cannot go on).
 */
export function readService(
  r: ByteReader,
  typeId: number,
  path: string,
): DecodedService | undefined {
  const spec = BY_ID.get(typeId)
  if (spec === undefined) return undefined
  const privileges: Record<string, number> = {}
  const count = r.u16(path, ' privilege count')
  for (let i = 0; i < count; i++) {
    const name = nameOf(spec.privileges, r.u16(path, ' privilege id'))
    if (name in privileges) throw new TokenMalformed(`${path} lists privilege ${name} twice`)
    privileges[name] = r.u32(path, '.privileges.', name)
  }
  const service: Record<string, unknown> = { type: spec.name }
  for (const [name, kind] of spec.fields) {
    service[name] =
      kind === 'i16'
        ? r.i16(path, '.', name)
        : kind === 'rtm2'
          ? readRtm2(r, `${path}.${name}`)
          : r.string(path, '.', name)
  }
  service.privileges = privileges
  return service as unknown as DecodedService
}
