// Loads the polyglot vectors in vectors/ (copied from the shared corpus, provenance kept) and maps
// their numeric form onto the library's data model, using the docs/format.md tables written out here.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export const VECTOR_DIR = join(__dirname, '..', '..', 'vectors')

export interface VectorFile<V = any> {
  file: string
  generator: string
  kind: string
  vectors: V[]
  divergent?: Array<V & { note: string; canonicalPayloadHex?: string; canonicalToken?: string }>
  notGenerated?: Array<{ id: string; error: string }>
}

export function vectorFiles<V = any>(kind: string): Array<VectorFile<V>> {
  return readdirSync(VECTOR_DIR)
    .filter((f) => f.endsWith(`.${kind}.json`))
    .sort()
    .map((file) => ({ file, ...JSON.parse(readFileSync(join(VECTOR_DIR, file), 'utf8')) }))
}

/** Generators whose deflate is standard C zlib: their tokens are our byte-exact targets. */
export function isStandardZlib(file: string): boolean {
  return /^(python3|java|cpp|php|ruby)\./.test(file)
}

// docs/format.md, "Service types and their fields".
export const SERVICE_NAMES: Record<number, string> = {
  1: 'rtc',
  2: 'rtm',
  3: 'streaming',
  4: 'fpa',
  5: 'chat',
  6: 'fcdn',
  7: 'apaas',
  8: 'rtm2',
  9: 'convoai',
  10: 'stt',
}
export const PRIVILEGE_NAMES: Record<number, Record<number, string>> = {
  1: { 1: 'joinChannel', 2: 'publishAudioStream', 3: 'publishVideoStream', 4: 'publishDataStream' },
  2: { 1: 'login' },
  3: { 1: 'publishMixStream', 2: 'publishRawStream' },
  4: { 1: 'login' },
  5: { 1: 'user', 2: 'app' },
  6: { 1: 'publish', 2: 'play' },
  7: { 1: 'roomUser', 2: 'user', 3: 'app' },
  8: { 1: 'login' },
  9: {},
  10: {},
}
const RESOURCE_NAMES: Record<string, string> = {
  0: 'messageChannels',
  1: 'streamChannels',
  2: 'groupChannels',
  3: 'serverGroups',
  4: 'users',
}
const PERMISSION_NAMES: Record<string, string> = { 0: 'read', 1: 'write' }

function renameKeys<T>(
  obj: Record<string, T>,
  names: Record<string, string>,
  map: (v: T) => any = (v) => v,
) {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [names[k] ?? k, map(v)]))
}

/** A vector service as our builder input: the type by name, privileges and permissions by id. */
export function toServiceInput(v: any): any {
  const { type, ...rest } = v
  return { ...rest, type: SERVICE_NAMES[type] }
}

/** A vector service as decodeToken reports it: known privileges and permissions by name. */
export function toDecodedService(v: any): any {
  const out: any = {
    ...v,
    type: SERVICE_NAMES[v.type],
    privileges: renameKeys(v.privileges, PRIVILEGE_NAMES[v.type]),
  }
  if (v.permissions) {
    out.permissions = renameKeys(v.permissions, RESOURCE_NAMES, (perms: any) =>
      renameKeys(perms, PERMISSION_NAMES),
    )
  }
  return out
}

/** FORMAT.md: services are written stable-sorted by type. */
export function sortedByType<T extends { type: number }>(services: T[]): T[] {
  return services
    .map((s, i) => [s, i] as const)
    .sort((a, b) => a[0].type - b[0].type || a[1] - b[1])
    .map(([s]) => s)
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/** A different certificate of the same shape (one hex digit changed). */
export function otherCertificate(cert: string): string {
  const c = cert[0] === '0' ? '1' : '0'
  return c + cert.slice(1)
}
