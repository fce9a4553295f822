// Picks the representative slice of vectors/ that every runtime replays, and writes it as an ES
// module (`export default {...}`): workerd and the browser have no file system, and a module is
// the one thing every runtime can load. Expectations come from the vectors (outside truth), put
// into the library's vocabulary here, on Node, so that the runtime suite stays small.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const VECTOR_DIR = new URL('../../vectors/', import.meta.url).pathname

// FORMAT.md, "Service types and their fields" and the RTM2 tables.
const SERVICE_NAMES = {
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
const PRIVILEGE_NAMES = {
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
const RESOURCE_NAMES = {
  0: 'messageChannels',
  1: 'streamChannels',
  2: 'groupChannels',
  3: 'serverGroups',
  4: 'users',
}
const PERMISSION_NAMES = { 0: 'read', 1: 'write' }

// How each kind of damage in the invalid corpus must be reported. The envelope and the payload
// header are checked before the signature, the services after it, so damage inside the services
// of a token whose signature no longer matches is a signature error (as in test/vectors.test.ts).
const INVALID_CODES = {
  'bad-signature': ['ERR_TOKEN_SIGNATURE', 'ERR_TOKEN_MALFORMED'],
  'tampered-payload': ['ERR_TOKEN_SIGNATURE'],
  'bad-version': ['ERR_TOKEN_VERSION', 'ERR_TOKEN_MALFORMED'],
  'bad-base64': ['ERR_TOKEN_MALFORMED'],
  'not-zlib': ['ERR_TOKEN_MALFORMED'],
  truncated: ['ERR_TOKEN_MALFORMED', 'ERR_TOKEN_SIGNATURE'],
  'trailing-bytes': ['ERR_TOKEN_MALFORMED', 'ERR_TOKEN_SIGNATURE'],
  'length-overflow': ['ERR_TOKEN_MALFORMED'],
  'inflate-bomb': ['ERR_TOKEN_TOO_LARGE'],
}
// An unknown service type appended and re-signed: accepted for forward compatibility.
const isForwardCompatible = (v) =>
  v.why === 'trailing-bytes' && /unknown service type/i.test(v.detail)

// Generators whose deflate is C zlib at its defaults: their tokens are byte-exact targets.
const C_ZLIB = /^(python3|java|cpp|php|ruby)\./

function load(kind) {
  return readdirSync(VECTOR_DIR)
    .filter((f) => f.endsWith(`.${kind}.json`))
    .sort()
    .map((file) => ({ file, ...JSON.parse(readFileSync(join(VECTOR_DIR, file), 'utf8')) }))
}

function rename(obj, names, map = (v) => v) {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [names[k] ?? k, map(v)]))
}

function decodedService(s) {
  const out = {
    ...s,
    type: SERVICE_NAMES[s.type],
    privileges: rename(s.privileges, PRIVILEGE_NAMES[s.type]),
  }
  if (s.permissions)
    out.permissions = rename(s.permissions, RESOURCE_NAMES, (p) => rename(p, PERMISSION_NAMES))
  return out
}

function sortedByType(services) {
  return services
    .map((s, i) => [s, i])
    .sort((a, b) => a[0].type - b[0].type || a[1] - b[1])
    .map(([s]) => s)
}

/** Bytes 2..34 of a payload: the HMAC-SHA256 signature, as hex. */
function signatureOf(payloadHex) {
  return payloadHex.slice(4, 68)
}

/** The 007 ids replayed from every generator: each service type, multi-service tokens, a stride. */
function pick007(reference) {
  const ids = new Set()
  for (let type = 1; type <= 10; type++) {
    reference
      .filter((v) => v.services.some((s) => s.type === type))
      .slice(0, 2)
      .forEach((v) => ids.add(v.id))
  }
  reference
    .filter((v) => v.services.length >= 3)
    .slice(0, 3)
    .forEach((v) => ids.add(v.id))
  reference.filter((_, i) => i % 8 === 0).forEach((v) => ids.add(v.id))
  return ids
}

function slice007() {
  const files = load('accesstoken2')
  const reference = files.find((f) => f.file.startsWith('python3.'))
  const canonical = new Map(reference.vectors.map((v) => [v.id, v.token]))
  const ids = pick007(reference.vectors)
  const out = []
  for (const f of files) {
    const picked = f.vectors.filter((v) => ids.has(v.id))
    // A generator that could not produce the picked vector of some type still shows that type.
    for (let type = 1; type <= 10; type++) {
      const has = (v) => v.services.some((s) => s.type === type)
      const first = f.vectors.find(has)
      if (first && !picked.some(has)) picked.push(first)
    }
    // Every divergent output too: we must read it, and build the canonical token instead.
    const entries = [...picked, ...(f.divergent ?? [])]
    for (const v of entries) {
      const divergent = 'canonicalPayloadHex' in v
      out.push({
        file: f.file,
        id: v.id,
        token: v.token,
        appCertificate: v.appCertificate,
        divergent,
        // The issue second is inside the lifetime, unless the lifetime is 0.
        atMs: v.issueTs * 1000 - (v.expire === 0 ? 1 : 0),
        input: {
          appId: v.appId,
          appCertificate: v.appCertificate,
          expire: v.expire,
          issueTs: v.issueTs,
          salt: v.salt,
          services: v.services.map(({ type, ...rest }) => ({ ...rest, type: SERVICE_NAMES[type] })),
        },
        decoded: {
          appId: v.appId,
          issueTs: v.issueTs,
          expire: v.expire,
          salt: v.salt,
          services: sortedByType(v.services).map(decodedService),
          signature: signatureOf(divergent ? v.canonicalPayloadHex : v.payloadHex),
        },
        // What buildToken must return: this token if it is C zlib and canonical, else python3's.
        expectToken: C_ZLIB.test(f.file) && !divergent ? v.token : canonical.get(v.id),
      })
    }
  }
  return out
}

function sliceInvalid() {
  return load('accesstoken2-invalid')
    .flatMap((f) => f.vectors)
    .map((v) => ({
      id: v.id,
      token: v.token,
      appCertificate: v.appCertificate,
      accept: isForwardCompatible(v),
      // A kind of damage without a listed code must still be refused with some TokenError code.
      codes: INVALID_CODES[v.why] ?? [...new Set(Object.values(INVALID_CODES).flat())],
    }))
}

/** Builder vectors: the first two of every builder name, from every generator, and all divergent. */
function sliceBuilders(kind) {
  const files = load(kind)
  const reference = files.find((f) => f.file.startsWith('python3.'))
  const canonical = new Map(reference.vectors.map((v) => [v.id, v.token]))
  const out = []
  for (const f of files) {
    const seen = new Map()
    const picked = f.vectors.filter((v) => {
      seen.set(v.builder, (seen.get(v.builder) ?? 0) + 1)
      return kind.startsWith('accesstoken006') || seen.get(v.builder) <= 2
    })
    for (const v of [...picked, ...(f.divergent ?? [])]) {
      const divergent = 'canonicalPayloadHex' in v || 'canonicalToken' in v
      const entry = {
        file: f.file,
        id: v.id,
        builder: v.builder,
        args: v.args,
        clockMs: v.clockMs,
        salt: v.salt,
      }
      if (kind === 'accesstoken2-builders') {
        entry.signature = signatureOf(divergent ? v.canonicalPayloadHex : v.payloadHex)
        entry.expectToken =
          C_ZLIB.test(f.file) && !divergent ? v.token : (canonical.get(v.id) ?? null)
      } else {
        entry.expectToken = divergent ? v.canonicalToken : v.token
      }
      out.push(entry)
    }
  }
  return out
}

function slice006() {
  const files = load('accesstoken006')
  const out = []
  for (const f of files) {
    const entries = [...f.vectors.filter((_, i) => i % 4 === 0), ...(f.divergent ?? [])]
    for (const v of entries) {
      const times = [v.ts, ...Object.values(v.privileges).filter((t) => t !== 0)]
      out.push({
        file: f.file,
        id: v.id,
        token: v.token,
        appCertificate: v.appCertificate,
        channelName: v.channelName,
        uid: v.uid,
        // Just before the earliest of the message ts and the privilege times.
        atMs: Math.min(...times) * 1000 - 1,
        input: {
          appId: v.appId,
          appCertificate: v.appCertificate,
          channelName: v.channelName,
          uid: v.uid,
          ts: v.ts,
          salt: v.salt,
          privileges: v.privileges,
        },
        decoded: { appId: v.appId, ts: v.ts, salt: v.salt },
        expectToken: v.canonicalToken ?? v.token,
      })
    }
  }
  return out
}

/** Refuses a slice that leaves out a service type, a generator file or a builder. */
function checkCoverage(slice) {
  const types = new Set(slice.token007.flatMap((v) => v.input.services.map((s) => s.type)))
  const missingTypes = Object.values(SERVICE_NAMES).filter((t) => !types.has(t))
  if (missingTypes.length) throw new Error(`the slice has no ${missingTypes.join(', ')} service`)
  const files = readdirSync(VECTOR_DIR).filter((f) => f.endsWith('.json'))
  const sliced = new Set(
    [...slice.token007, ...slice.builders007, ...slice.token006, ...slice.builders006].map(
      (v) => v.file,
    ),
  )
  const missingFiles = files.filter((f) => !f.endsWith('-invalid.json') && !sliced.has(f))
  if (missingFiles.length) throw new Error(`the slice has nothing from ${missingFiles.join(', ')}`)
  for (const kind of ['accesstoken2-builders', 'accesstoken006-builders']) {
    const all = new Set(load(kind).flatMap((f) => f.vectors.map((v) => v.builder)))
    const got = new Set(
      (kind.startsWith('accesstoken2') ? slice.builders007 : slice.builders006).map(
        (v) => v.builder,
      ),
    )
    const missing = [...all].filter((b) => !got.has(b))
    if (missing.length) throw new Error(`the slice has no ${missing.join(', ')} vector`)
  }
}

/** The slice as plain data. */
export function makeSlice() {
  const slice = {
    token007: slice007(),
    invalid: sliceInvalid(),
    builders007: sliceBuilders('accesstoken2-builders'),
    token006: slice006(),
    builders006: sliceBuilders('accesstoken006-builders'),
  }
  checkCoverage(slice)
  return slice
}

/** Writes the slice to `path` as an ES module and returns it. */
export function writeSlice(path) {
  const slice = makeSlice()
  writeFileSync(
    path,
    `// Generated by test/runtimes/make-slice.mjs from vectors/.\nexport default ${JSON.stringify(slice)}\n`,
  )
  return slice
}
