// token007 against the official agora-token package and a node:crypto + node:zlib baseline,
// measured side by side in one process on the BUILT library (dist/).
//
//   npm run bench                     (from the repository root: builds, installs bench deps, runs)
//   node bench/bench.mjs [--quick] [--readme]
//   BENCH_ONLY=verify-rtm2 node bench/bench.mjs --quick   (only the matching scenario ids)
//
// It ends with bench/cli-batch.mjs: `token007 build rtc --count 100000 -o file` in tokens/s beside
// the in-process build rate (BENCH_CLI_COUNT sets the count).
//
// It writes bench/results.json and bench/results.svg; --readme also rewrites the results block of
// docs/performance.md (between the bench:results markers); --quick is a short development run that writes
// nothing. BENCH_ROUNDS and BENCH_TIME_MS override the number of rounds and the time per library.
//
// Method. Each scenario is timed in ROUNDS rounds; in every round each library runs for TIME_MS
// under tinybench (which times every call; each call is a batch of operations so the timer's
// own cost is amortized), and the order of the libraries rotates from round to round, so all of
// them see the same machine state. A round's value is the batch's median latency turned into
// operations per second; the table shows the median over rounds and the spread between the 25th
// and 75th percentile of the rounds. Ratios are taken within each round, then their median.
// Round 0 is a warm-up and is discarded. Verification runs over a pool of distinct tokens (other
// issueTs, salts, uids) cycled in order, so that no cache can make the number meaningless; a
// same-token number is shown beside it.
//
// Before timing, the three implementations are checked against each other: identical payloads
// for identical inputs, token007's compressed bytes identical to standard zlib (pako with
// legacyHash), and every library accepting every other library's tokens.
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem, type as osType, release } from 'node:os'
import { deflateSync, inflateSync } from 'node:zlib'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { Bench } from 'tinybench'
import * as baseline from './baseline.mjs'
import { describeCliBatch, measureCliBatch } from './cli-batch.mjs'
import { formatOps, renderChart } from './chart.mjs'

const here = new URL('.', import.meta.url)
const root = new URL('..', here)
const requireHere = createRequire(import.meta.url)
const requireRoot = createRequire(new URL('package.json', root))

const quick = process.argv.includes('--quick')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (quick ? 3 : 9))
const TIME_MS = Number(process.env.BENCH_TIME_MS ?? (quick ? 60 : 150))

// BENCH_DIST points at another build of the library (an ES module), e.g. to compare two commits.
const T = await import(process.env.BENCH_DIST ?? new URL('dist/index.js', root).href)
const agora = requireHere('agora-token')
const { AccessToken2, ServiceRtc, ServiceRtm, ServiceRtm2 } = requireHere(
  'agora-token/src/AccessToken2.js',
)
const pako = requireRoot('pako')
const { sha256: nobleSha256 } = await import(requireRoot.resolve('@noble/hashes/sha2.js'))
const internals = await loadInternals()

const LIBS = ['token007', 'agora-token', 'node:crypto+zlib']
const APP_ID = '970ca35de60c44645bbae8a215061b33'
const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
const NOW = Math.floor(Date.now() / 1000)
let sink = 0

// ---------------------------------------------------------------------------------------------
// Inputs

const channels = Array.from({ length: 64 }, (_, i) => `room-${i}`)
const accounts = Array.from({ length: 64 }, (_, i) => `user-${i}@example.com`)

/** An RTM2 permission set whose packed size is about `bytes`: random 24-hex-digit names. */
function permissionDetails(bytes, seed = '') {
  const details = { 0: { 0: [], 1: [] }, 1: { 0: [] }, 4: { 0: [] } }
  const slots = [details[0][0], details[0][1], details[1][0], details[4][0]]
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const name = `chan-${seed}${randomBytes(12).toString('hex')}`
    slots[i % slots.length].push(name)
    size += 2 + name.length
  }
  return details
}

function oursPermissions(details) {
  const p = new T.Rtm2Permissions()
  for (const [type, perms] of Object.entries(details))
    for (const [perm, list] of Object.entries(perms)) p.add(Number(type), Number(perm), list)
  return p
}
function agoraPermissions(details) {
  const p = new agora.Rtm2Permissions()
  for (const [type, perms] of Object.entries(details))
    for (const [perm, list] of Object.entries(perms)) p.add(Number(type), Number(perm), list)
  return p
}

const permission1k = permissionDetails(1000)
const permission8k = permissionDetails(8000)
const permission60k = permissionDetails(60_000)
const perms = {
  small: { ours: oursPermissions(permission1k), agora: agoraPermissions(permission1k) },
  medium: { ours: oursPermissions(permission8k), agora: agoraPermissions(permission8k) },
  large: { ours: oursPermissions(permission60k), agora: agoraPermissions(permission60k) },
}

// The realistic mix (issue 18): the names apps really send. Channels are UUIDs (36 characters)
// or 33-character hex ids, uids are random 32-bit integers, accounts are e-mail-like strings;
// the token kinds rotate through RTC with a uid (publisher, subscriber), RTC with an account,
// RTC + RTM, and RTM2 with a few permissions.
const uuidChannels = Array.from({ length: 64 }, () => randomUUID())
const hexChannels = Array.from({ length: 64 }, () => randomBytes(17).toString('hex').slice(0, 33))
const randomUids = Array.from(
  { length: 64 },
  () => 1 + (randomBytes(4).readUInt32LE() % 0xfffffffe),
)
const realAccounts = Array.from(
  { length: 64 },
  () => `${randomBytes(4).toString('hex')}.${randomBytes(3).toString('hex')}@example.com`,
)
/** A few RTM2 permissions: channels named by UUID, as an app that subscribes to rooms has. */
const fewPermissions = Array.from({ length: 16 }, () => ({
  0: { 0: [randomUUID(), randomUUID()], 1: [randomUUID()] },
  1: { 0: [randomUUID()] },
}))
const fewPerms = fewPermissions.map((d) => ({
  ours: oursPermissions(d),
  agora: agoraPermissions(d),
}))
const MIX_KINDS = ['rtc uid publisher', 'rtc uid subscriber', 'rtc account', 'rtc+rtm', 'rtm2 few']
/** The kind, channel, uid, account and permissions of the mix's input j. */
function mixCase(j) {
  const kind = MIX_KINDS[j % MIX_KINDS.length]
  const channel = (j & 1) === 0 ? uuidChannels[(j >> 1) & 63] : hexChannels[(j >> 1) & 63]
  return {
    kind,
    channel,
    uid: randomUids[j & 63],
    account: realAccounts[(j * 7) & 63],
    perms: fewPerms[j & 15],
    details: fewPermissions[j & 15],
  }
}

/** Fresh, flat copies of strings, as tokens arrive from a network (not ropes built in-process). */
const flat = (s) => Buffer.from(s, 'latin1').toString('latin1')

/** Raw-layer inputs for building pool tokens with chosen issueTs and salt. */
function rtcInput(i, withRtm) {
  const account = accounts[i & 63]
  const uid = withRtm ? account : 1000 + i
  const services = [
    {
      type: 'rtc',
      channelName: channels[i & 63],
      uid,
      privileges: {
        joinChannel: 86_400,
        publishAudioStream: 86_400,
        publishVideoStream: 86_400,
        publishDataStream: 86_400,
      },
    },
  ]
  if (withRtm) services.push({ type: 'rtm', userId: account, privileges: { login: 86_400 } })
  return services
}
function rtm2Input(i, details) {
  return [
    { type: 'rtm2', userId: accounts[i & 63], permissions: details, privileges: { login: 86_400 } },
  ]
}
/** Raw-layer services of the mix's input i (the same kinds and names as the builders get). */
function mixInput(i) {
  const c = mixCase(i)
  const publisher = {
    joinChannel: 86_400,
    publishAudioStream: 86_400,
    publishVideoStream: 86_400,
    publishDataStream: 86_400,
  }
  const rtc = (uid, privileges) => ({ type: 'rtc', channelName: c.channel, uid, privileges })
  switch (c.kind) {
    case 'rtc uid publisher':
      return [rtc(c.uid, publisher)]
    case 'rtc uid subscriber':
      return [rtc(c.uid, { joinChannel: 86_400 })]
    case 'rtc account':
      return [rtc(c.account, publisher)]
    case 'rtc+rtm':
      return [
        rtc(c.account, publisher),
        { type: 'rtm', userId: c.account, privileges: { login: 86_400 } },
      ]
    default:
      return [
        { type: 'rtm2', userId: c.account, permissions: c.details, privileges: { login: 86_400 } },
      ]
  }
}
function pool(count, services) {
  return Array.from({ length: count }, (_, i) =>
    flat(
      T.buildToken({
        appId: APP_ID,
        appCertificate: CERT,
        expire: 86_400,
        issueTs: NOW - ((i * 7919) % 3600),
        salt: 1 + ((i * 2654435761) % 99_999_999),
        services: services(i),
      }),
    ),
  )
}

// ---------------------------------------------------------------------------------------------
// Scenarios: each library's function runs `batch` operations per call.

/** A build scenario: each function maps an input variant j (0..1023) to a token. */
function builds(id, label, batch, ours, theirs, native) {
  const loop = (fn) => () => {
    for (let i = 0; i < batch; i++) sink ^= fn(next()).length
  }
  return {
    id,
    label,
    kind: 'build',
    batch,
    // A few of token007's tokens of this scenario, for the floor (where the time goes).
    samples: () => Array.from({ length: 16 }, (_, j) => ours(j * 5 + (j % 5))),
    tasks: { token007: loop(ours), 'agora-token': loop(theirs), 'node:crypto+zlib': loop(native) },
  }
}

function verifies(id, label, batch, tokens) {
  let a = 0
  let b = 0
  let c = 0
  const n = tokens.length
  return {
    id,
    label,
    kind: 'verify',
    batch,
    tokens,
    tasks: {
      token007: () => {
        for (let i = 0; i < batch; i++) {
          sink ^= T.verifyToken(tokens[a], CERT).salt
          a = a + 1 === n ? 0 : a + 1
        }
      },
      'agora-token': () => {
        for (let i = 0; i < batch; i++) {
          const t = new AccessToken2()
          if (!(t.from_string(tokens[b]) && t.verifySignature(CERT)))
            throw new Error('agora-token rejected a valid token')
          sink ^= t.salt
          b = b + 1 === n ? 0 : b + 1
        }
      },
      'node:crypto+zlib': () => {
        for (let i = 0; i < batch; i++) {
          const parsed = baseline.verify(tokens[c], CERT)
          if (parsed === null) throw new Error('baseline rejected a valid token')
          sink ^= parsed.salt
          c = c + 1 === n ? 0 : c + 1
        }
      },
    },
  }
}

let k = 0
const next = () => (k = (k + 1) & 1023)

const ch = (j) => channels[j & 63]
const acct = (j) => accounts[j & 63]

/** One library's builder call for the mix's input j: `lib` is token007's or agora-token's API. */
function buildMix(lib, j) {
  const c = mixCase(j)
  switch (c.kind) {
    case 'rtc uid publisher':
      return lib.RtcTokenBuilder.buildTokenWithUid(
        APP_ID,
        CERT,
        c.channel,
        c.uid,
        lib.RtcRole.PUBLISHER,
        3600,
        3600,
      )
    case 'rtc uid subscriber':
      return lib.RtcTokenBuilder.buildTokenWithUid(
        APP_ID,
        CERT,
        c.channel,
        c.uid,
        lib.RtcRole.SUBSCRIBER,
        3600,
        3600,
      )
    case 'rtc account':
      return lib.RtcTokenBuilder.buildTokenWithUserAccount(
        APP_ID,
        CERT,
        c.channel,
        c.account,
        lib.RtcRole.PUBLISHER,
        3600,
        3600,
      )
    case 'rtc+rtm':
      return lib.RtcTokenBuilder.buildTokenWithRtm(
        APP_ID,
        CERT,
        c.channel,
        c.account,
        lib.RtcRole.PUBLISHER,
        3600,
        3600,
      )
    default:
      return lib.RtmTokenBuilder.buildTokenWithPermissions(
        APP_ID,
        CERT,
        c.account,
        lib === T ? c.perms.ours : c.perms.agora,
        3600,
      )
  }
}
/** The node:crypto + node:zlib baseline's build of the mix's input j. */
function buildMixBaseline(j) {
  const c = mixCase(j)
  switch (c.kind) {
    case 'rtc uid publisher':
      return baseline.build(APP_ID, CERT, 3600, [baseline.rtcService(c.channel, c.uid, true, 3600)])
    case 'rtc uid subscriber':
      return baseline.build(APP_ID, CERT, 3600, [
        baseline.rtcService(c.channel, c.uid, false, 3600),
      ])
    case 'rtc account':
      return baseline.build(APP_ID, CERT, 3600, [
        baseline.rtcService(c.channel, c.account, true, 3600),
      ])
    case 'rtc+rtm':
      return baseline.build(APP_ID, CERT, 3600, [
        baseline.rtcService(c.channel, c.account, true, 3600),
        baseline.rtmService(c.account, 3600),
      ])
    default:
      return baseline.build(APP_ID, CERT, 3600, [baseline.rtm2Service(c.account, c.details, 3600)])
  }
}

const scenarios = [
  builds(
    'build-mix',
    'build, realistic mix (UUID/hex channels, uids/accounts, RTC+RTM, RTM2)',
    40,
    (j) => buildMix(T, j),
    (j) => buildMix(agora, j),
    buildMixBaseline,
  ),
  verifies('verify-mix', 'verify, realistic mix (pool of 1,000)', 40, pool(1000, mixInput)),
  builds(
    'build-rtc-uuid',
    'build RTC publisher, UUID channel, random uid',
    40,
    (j) =>
      T.RtcTokenBuilder.buildTokenWithUid(
        APP_ID,
        CERT,
        uuidChannels[j & 63],
        randomUids[j & 63],
        T.RtcRole.PUBLISHER,
        3600,
        3600,
      ),
    (j) =>
      agora.RtcTokenBuilder.buildTokenWithUid(
        APP_ID,
        CERT,
        uuidChannels[j & 63],
        randomUids[j & 63],
        agora.RtcRole.PUBLISHER,
        3600,
        3600,
      ),
    (j) =>
      baseline.build(APP_ID, CERT, 3600, [
        baseline.rtcService(uuidChannels[j & 63], randomUids[j & 63], true, 3600),
      ]),
  ),
  builds(
    'build-rtc',
    'build RTC publisher (buildTokenWithUid)',
    40,
    (j) =>
      T.RtcTokenBuilder.buildTokenWithUid(
        APP_ID,
        CERT,
        ch(j),
        1000 + j,
        T.RtcRole.PUBLISHER,
        3600,
        3600,
      ),
    (j) =>
      agora.RtcTokenBuilder.buildTokenWithUid(
        APP_ID,
        CERT,
        ch(j),
        1000 + j,
        agora.RtcRole.PUBLISHER,
        3600,
        3600,
      ),
    (j) => baseline.build(APP_ID, CERT, 3600, [baseline.rtcService(ch(j), 1000 + j, true, 3600)]),
  ),
  verifies(
    'verify-rtc',
    'verify RTC publisher (pool of 1,000)',
    40,
    pool(1000, (i) => rtcInput(i, false)),
  ),
  verifies(
    'verify-rtc-same',
    'verify RTC publisher (same token)',
    40,
    pool(1, (i) => rtcInput(i, false)),
  ),
  builds(
    'build-rtc-rtm',
    'build RTC + RTM (buildTokenWithRtm)',
    40,
    (j) =>
      T.RtcTokenBuilder.buildTokenWithRtm(
        APP_ID,
        CERT,
        ch(j),
        acct(j),
        T.RtcRole.PUBLISHER,
        3600,
        3600,
      ),
    (j) =>
      agora.RtcTokenBuilder.buildTokenWithRtm(
        APP_ID,
        CERT,
        ch(j),
        acct(j),
        agora.RtcRole.PUBLISHER,
        3600,
        3600,
      ),
    (j) =>
      baseline.build(APP_ID, CERT, 3600, [
        baseline.rtcService(ch(j), acct(j), true, 3600),
        baseline.rtmService(acct(j), 3600),
      ]),
  ),
  verifies(
    'verify-rtc-rtm',
    'verify RTC + RTM (pool of 1,000)',
    40,
    pool(1000, (i) => rtcInput(i, true)),
  ),
  builds(
    'build-rtm2-1k',
    'build RTM2 ~1 KB permissions',
    10,
    (j) =>
      T.RtmTokenBuilder.buildTokenWithPermissions(APP_ID, CERT, acct(j), perms.small.ours, 3600),
    (j) =>
      agora.RtmTokenBuilder.buildTokenWithPermissions(
        APP_ID,
        CERT,
        acct(j),
        perms.small.agora,
        3600,
      ),
    (j) => baseline.build(APP_ID, CERT, 3600, [baseline.rtm2Service(acct(j), permission1k, 3600)]),
  ),
  verifies(
    'verify-rtm2-1k',
    'verify RTM2 ~1 KB (pool of 1,000)',
    10,
    pool(1000, (i) => rtm2Input(i, permission1k)),
  ),
  builds(
    'build-rtm2-8k',
    'build RTM2 ~8 KB permissions',
    4,
    (j) =>
      T.RtmTokenBuilder.buildTokenWithPermissions(APP_ID, CERT, acct(j), perms.medium.ours, 3600),
    (j) =>
      agora.RtmTokenBuilder.buildTokenWithPermissions(
        APP_ID,
        CERT,
        acct(j),
        perms.medium.agora,
        3600,
      ),
    (j) => baseline.build(APP_ID, CERT, 3600, [baseline.rtm2Service(acct(j), permission8k, 3600)]),
  ),
  verifies(
    'verify-rtm2-8k',
    'verify RTM2 ~8 KB (pool of 256)',
    4,
    pool(256, (i) => rtm2Input(i, permission8k)),
  ),
  builds(
    'build-60k',
    'build RTM2 ~60 KB permissions',
    1,
    (j) =>
      T.RtmTokenBuilder.buildTokenWithPermissions(APP_ID, CERT, acct(j), perms.large.ours, 3600),
    (j) =>
      agora.RtmTokenBuilder.buildTokenWithPermissions(
        APP_ID,
        CERT,
        acct(j),
        perms.large.agora,
        3600,
      ),
    (j) => baseline.build(APP_ID, CERT, 3600, [baseline.rtm2Service(acct(j), permission60k, 3600)]),
  ),
  verifies(
    'verify-60k',
    'verify RTM2 ~60 KB (pool of 32)',
    1,
    pool(32, (i) => rtm2Input(i, permission60k)),
  ),
]

// The hashing floor: the cost of one SHA-256 compression, token007's own (src/lib/sha256.ts) and,
// for reference, @noble/hashes' and node:crypto's per block of a long message.
const BLOCKS = 256
const shaState = internals.SHA256_IV.slice()
const shaBlock = Int32Array.from({ length: 16 }, (_, i) => i * 0x01010101)
const longMessage = randomBytes(64 * BLOCKS - 9) // pads to exactly BLOCKS blocks
const compression = {
  id: 'sha256-block',
  label: 'SHA-256 compressions',
  kind: 'hash',
  batch: BLOCKS,
  tasks: {
    token007: () => {
      for (let i = 0; i < BLOCKS; i++) internals.compress(shaState, shaBlock)
    },
    'noble (reference)': () => {
      sink ^= nobleSha256(longMessage)[0]
    },
    'node:crypto (reference)': () => {
      sink ^= createHash('sha256').update(longMessage).digest()[0]
    },
  },
}

// Where token007's time goes: the whole build and verify, and each of their steps alone on the
// same kind of input (salts, signatures and tokens rotate, as they do in real use).
const rtcPool = scenarios.find((x) => x.id === 'verify-rtc').tokens
const steps = rtcPool.slice(0, 256).map((token) => {
  const compressed = internals.decodeBase64(token, 3)
  const payload = internals.inflateZlib(compressed, 1 << 17).slice()
  const d = T.decodeToken(token)
  return {
    token,
    compressed,
    payload,
    signingInfo: payload.subarray(34),
    signature: payload.slice(2, 34),
    issueTs: d.issueTs,
    salt: d.salt,
  }
})
const sigOut = new Uint8Array(32)
let p = 0
const each = (fn) => () => {
  for (let i = 0; i < 40; i++) {
    fn(steps[p])
    p = (p + 1) & 255
  }
}
const breakdown = {
  id: 'parts',
  label: 'token007 step by step',
  kind: 'parts',
  batch: 40,
  tasks: {
    'build: RtcTokenBuilder.buildTokenWithUid': scenarios.find((x) => x.id === 'build-rtc').tasks
      .token007,
    'build: buildToken (raw layer)': each(() => {
      const j = next()
      sink ^= T.buildToken({
        appId: APP_ID,
        appCertificate: CERT,
        expire: 3600,
        services: [
          {
            type: 'rtc',
            channelName: channels[j & 63],
            uid: 1000 + j,
            privileges: {
              joinChannel: 3600,
              publishAudioStream: 3600,
              publishVideoStream: 3600,
              publishDataStream: 3600,
            },
          },
        ],
      }).length
    }),
    '  randomSalt': each(() => (sink ^= internals.randomSalt())),
    '  signInto (k1 cached)': each((x) =>
      internals.signInto(CERT, NOW, x.salt, x.signingInfo, sigOut, 0),
    ),
    '  deflateZlib': each((x) => (sink ^= internals.deflateZlib(x.payload).length)),
    '  encodeBase64': each((x) => (sink ^= internals.encodeBase64(x.compressed).length)),
    'verify: verifyToken (pool)': scenarios.find((x) => x.id === 'verify-rtc').tasks.token007,
    '  decodeBase64': each((x) => (sink ^= internals.decodeBase64(x.token, 3).length)),
    '  inflateZlib': each((x) => (sink ^= internals.inflateZlib(x.compressed, 131_072).length)),
    '  signatureMatches (k1 miss)': each((x) => {
      if (!internals.signatureMatches(CERT, x.issueTs, x.salt, x.signingInfo, x.signature))
        throw new Error('signature')
    }),
    // Measured beside the steps, so that the floor ratios below compare like with like.
    'one SHA-256 compression': each(() => internals.compress(shaState, shaBlock)),
  },
}

// ---------------------------------------------------------------------------------------------
// Unauthenticated work (issue 11, finding 3): a token with a random signature whose payload
// inflates to the 128 KiB cap (32,000 empty services in a few hundred characters). verifyToken
// must refuse it after an inflate and one HMAC of the payload, without parsing its services; the
// cost is reported as a multiple of a normal RTC verify, timed beside it in the same rounds.

const CAP = 131_072
function forgedAtCap(i) {
  const u16 = (n) => Buffer.from([n & 0xff, n >>> 8])
  const u32 = (n) => {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(n >>> 0)
    return b
  }
  const str = (b) => Buffer.concat([u16(b.length), b])
  const header = Buffer.concat([
    str(randomBytes(32)),
    str(Buffer.from(APP_ID)),
    u32(NOW - i),
    u32(86_400),
    u32(1 + i),
  ])
  // Each empty fpa service is 4 bytes (type 4, no privileges).
  const count = Math.min(0xffff, Math.floor((CAP - header.length - 2) / 4))
  const services = Buffer.alloc(count * 4)
  for (let o = 0; o < services.length; o += 4) services[o] = 4
  const payload = Buffer.concat([header, u16(count), services])
  return flat('007' + deflateSync(payload, { level: 9 }).toString('base64'))
}
const forgedTokens = Array.from({ length: 16 }, (_, i) => forgedAtCap(i))
const forgedParts = forgedTokens.map((token, i) => {
  const compressed = internals.decodeBase64(token, 3)
  const payload = internals.inflateZlib(compressed, CAP)
  return {
    compressed,
    signingInfo: payload.slice(34),
    signature: payload.slice(2, 34),
    issueTs: NOW - i,
    salt: 1 + i,
  }
})
const forged = {
  id: 'verify-forged-cap',
  label: 'verify a wrong-signature token that inflates to the cap',
  kind: 'forged',
  batch: 8,
  tasks: (() => {
    const normal = rtcPoolTokens()
    let a = 0
    let f = 0
    return {
      'normal RTC verify (pool)': () => {
        for (let i = 0; i < 8; i++) {
          sink ^= T.verifyToken(normal[a], CERT).salt
          a = a + 1 === normal.length ? 0 : a + 1
        }
      },
      'forged, inflates to the cap': () => {
        for (let i = 0; i < 8; i++) {
          try {
            T.verifyToken(forgedTokens[f], CERT)
            throw new Error('a forged token was accepted')
          } catch (e) {
            if (e?.code !== 'ERR_TOKEN_SIGNATURE') throw e
          }
          f = (f + 1) & 15
        }
      },
      // The floor: what refusing it cannot avoid.
      '  inflate alone': () => {
        for (let i = 0; i < 8; i++) {
          sink ^= internals.inflateZlib(forgedParts[f].compressed, CAP).length
          f = (f + 1) & 15
        }
      },
      '  signature check alone (k1 miss)': () => {
        for (let i = 0; i < 8; i++) {
          const x = forgedParts[f]
          sink ^= internals.signatureMatches(CERT, x.issueTs, x.salt, x.signingInfo, x.signature)
            ? 1
            : 0
          f = (f + 1) & 15
        }
      },
    }
  })(),
}
function rtcPoolTokens() {
  return scenarios.find((x) => x.id === 'verify-rtc').tokens
}
/** Median over rounds of the forged verify's time as a multiple of the normal one's. */
function forgedLine(rounds) {
  const per = (name) => summary(rounds.map((x) => 1e6 / x[name]))
  const normal = per('normal RTC verify (pool)')
  const bad = per('forged, inflates to the cap')
  const ratio = summary(
    rounds.map((x) => x['normal RTC verify (pool)'] / x['forged, inflates to the cap']),
  )
  const floor = summary(
    rounds.map(
      (x) =>
        (1 / x['  inflate alone'] + 1 / x['  signature check alone (k1 miss)']) /
        (1 / x['normal RTC verify (pool)']),
    ),
  )
  return {
    normalUs: normal.median,
    forgedUs: bad.median,
    ratio,
    floorRatio: floor.median,
    text:
      `${forged.label}: ${bad.median.toFixed(1)} µs vs ${normal.median.toFixed(2)} µs for a normal RTC verify = ${ratio.median.toFixed(1)}× (p25–p75 ${ratio.p25.toFixed(1)}–${ratio.p75.toFixed(1)}×, ${rounds.length} rounds; target ≤ 60×)\n` +
      `  of which the floor, inflate ${per('  inflate alone').median.toFixed(1)} µs + signature check ${per('  signature check alone (k1 miss)').median.toFixed(1)} µs = ${floor.median.toFixed(1)}× a normal verify`,
  }
}

if (process.argv.includes('--forged')) {
  // Only this scenario: `node bench/bench.mjs --forged` (after `npm run build`).
  const rounds = []
  for (let r = 0; r <= ROUNDS; r++) {
    const names = Object.keys(forged.tasks)
    const result = round(
      forged,
      names.map((_, i) => names[(i + r) % names.length]),
      r === 0,
    )
    if (r > 0) rounds.push(result)
  }
  console.log(forgedLine(rounds).text)
  process.exit(0)
}

// ---------------------------------------------------------------------------------------------
// Checks before timing

function checkAgreement() {
  const payload = (token) => inflateSync(Buffer.from(token.slice(3), 'base64'))
  const cases = [
    {
      name: 'rtc',
      ours: rtcInput(7, false),
      agora: (t) => rtcService(t, channels[7], 1007),
      native: [baseline.rtcService(channels[7], 1007, true, 86_400)],
    },
    {
      name: 'rtc+rtm',
      ours: rtcInput(9, true),
      agora: (t) => {
        rtcService(t, channels[9], accounts[9])
        const s = new ServiceRtm(accounts[9])
        s.add_privilege(1, 86_400)
        t.add_service(s)
      },
      native: [
        baseline.rtcService(channels[9], accounts[9], true, 86_400),
        baseline.rtmService(accounts[9], 86_400),
      ],
    },
    {
      name: 'rtm2 1k',
      ours: rtm2Input(3, permission1k),
      agora: (t) => rtm2Service(t, accounts[3], permission1k),
      native: [baseline.rtm2Service(accounts[3], permission1k, 86_400)],
    },
    {
      name: 'rtm2 8k',
      ours: rtm2Input(3, permission8k),
      agora: (t) => rtm2Service(t, accounts[3], permission8k),
      native: [baseline.rtm2Service(accounts[3], permission8k, 86_400)],
    },
    {
      name: 'rtm2 60k',
      ours: rtm2Input(3, permission60k),
      agora: (t) => rtm2Service(t, accounts[3], permission60k),
      native: [baseline.rtm2Service(accounts[3], permission60k, 86_400)],
    },
  ]
  const sizes = {}
  for (const c of cases) {
    const issueTs = NOW - 5
    const salt = 12_345_678
    const ours = T.buildToken({
      appId: APP_ID,
      appCertificate: CERT,
      expire: 86_400,
      issueTs,
      salt,
      services: c.ours,
    })
    const at = new AccessToken2(APP_ID, CERT, issueTs, 86_400)
    at.salt = salt
    c.agora(at)
    const theirs = at.build()
    const native = baseline.build(APP_ID, CERT, 86_400, c.native, issueTs, salt)
    const p = payload(ours)
    if (!p.equals(payload(theirs)) || !p.equals(payload(native)))
      throw new Error(`${c.name}: the three payloads differ`)
    const standard =
      '007' + Buffer.from(pako.deflate(p, { level: 6, legacyHash: true })).toString('base64')
    if (ours !== standard)
      throw new Error(`${c.name}: token007 is not byte-identical to standard zlib`)
    for (const token of [ours, theirs, native]) {
      T.verifyToken(token, CERT)
      const t = new AccessToken2()
      if (!(t.from_string(token) && t.verifySignature(CERT)))
        throw new Error(`${c.name}: agora-token rejects a token`)
      if (baseline.verify(token, CERT) === null)
        throw new Error(`${c.name}: the baseline rejects a token`)
    }
    sizes[c.name] = {
      payloadBytes: p.length,
      signingInfoBytes: p.length - 34,
      tokenChars: ours.length,
    }
  }
  // The realistic mix: each kind through the three builders gives the same services, and every
  // library accepts every token; its size is the mean over the verify pool.
  for (let j = 0; j < 4 * MIX_KINDS.length; j++) {
    const tokens = [buildMix(T, j), buildMix(agora, j), buildMixBaseline(j)]
    const services = tokens.map((t) => JSON.stringify(T.verifyToken(t, CERT).services))
    if (services[0] !== services[1] || services[0] !== services[2])
      throw new Error(`mix ${mixCase(j).kind}: the three builders' services differ`)
    for (const token of tokens) {
      const t = new AccessToken2()
      if (!(t.from_string(token) && t.verifySignature(CERT)))
        throw new Error(`mix ${mixCase(j).kind}: agora-token rejects a token`)
      if (baseline.verify(token, CERT) === null)
        throw new Error(`mix ${mixCase(j).kind}: the baseline rejects a token`)
    }
  }
  const meanPayload = (tokens) =>
    Math.round(tokens.reduce((n, t) => n + payload(t).length, 0) / tokens.length)
  const mixBytes = meanPayload(scenarios.find((x) => x.id === 'verify-mix').tokens)
  sizes.mix = { payloadBytes: mixBytes, signingInfoBytes: mixBytes - 34 }
  const uuidBytes = meanPayload(
    uuidChannels.map((channel, j) =>
      T.RtcTokenBuilder.buildTokenWithUid(
        APP_ID,
        CERT,
        channel,
        randomUids[j],
        T.RtcRole.PUBLISHER,
        3600,
        3600,
      ),
    ),
  )
  sizes['rtc uuid'] = { payloadBytes: uuidBytes, signingInfoBytes: uuidBytes - 34 }
  // The builder path: the same services as agora-token's builders, accepted both ways.
  const ours = T.RtcTokenBuilder.buildTokenWithUid(
    APP_ID,
    CERT,
    'room-1',
    42,
    T.RtcRole.PUBLISHER,
    3600,
    3600,
  )
  const theirs = agora.RtcTokenBuilder.buildTokenWithUid(
    APP_ID,
    CERT,
    'room-1',
    42,
    agora.RtcRole.PUBLISHER,
    3600,
    3600,
  )
  const a = new AccessToken2()
  if (!(a.from_string(ours) && a.verifySignature(CERT)))
    throw new Error('agora-token rejects RtcTokenBuilder output')
  const decodedTheirs = T.verifyToken(theirs, CERT)
  const decodedOurs = T.verifyToken(ours, CERT)
  if (JSON.stringify(decodedOurs.services) !== JSON.stringify(decodedTheirs.services))
    throw new Error('RtcTokenBuilder services differ')
  return sizes
}

function rtcService(token, channel, uid) {
  const s = new ServiceRtc(channel, uid)
  for (const p of [1, 2, 3, 4]) s.add_privilege(p, 86_400)
  token.add_service(s)
}
function rtm2Service(token, userId, details) {
  const s = new ServiceRtm2(userId, agoraPermissions(details))
  s.add_privilege(1, 86_400)
  token.add_service(s)
}

// ---------------------------------------------------------------------------------------------
// Measurement

/** One round of one scenario: ops/s per library, libraries in the given order. */
function round(scenario, order, warm) {
  const bench = new Bench({
    time: TIME_MS,
    iterations: 8,
    warmup: warm,
    warmupTime: warm ? 200 : 0,
    warmupIterations: 4,
    throws: true,
  })
  for (const name of order) bench.add(name, scenario.tasks[name])
  bench.runSync()
  const out = {}
  for (const task of bench.tasks) {
    if (task.result.state !== 'completed')
      throw new Error(
        `${scenario.id}/${task.name}: ${task.result.state} ${task.result.error ?? ''}`,
      )
    out[task.name] = (scenario.batch * 1000) / task.result.latency.p50
  }
  return out
}

function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (pos - lo)
}
function summary(values) {
  const s = [...values].sort((a, b) => a - b)
  return {
    median: quantile(s, 0.5),
    p25: quantile(s, 0.25),
    p75: quantile(s, 0.75),
    min: s[0],
    max: s[s.length - 1],
    rounds: values,
  }
}

const sizes = checkAgreement()
console.log(
  'Agreement check: identical payloads, token007 byte-identical to standard zlib, all tokens accepted by all three: OK',
)
console.log(
  `Node ${process.version} (V8 ${process.versions.v8}), ${cpus()[0].model.trim()} × ${cpus().length}; ${ROUNDS} rounds × ${TIME_MS} ms per library, after a warm-up round\n`,
)

// BENCH_ONLY=<regex> times only the scenarios whose id matches, prints their ratios and stops: a
// development run for one scenario that writes nothing.
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined
const all = [...scenarios, compression, breakdown, forged].filter((s) => !only || only.test(s.id))
const perRound = new Map(all.map((s) => [s.id, []]))
for (let r = 0; r <= ROUNDS; r++) {
  for (const s of all) {
    const names = Object.keys(s.tasks)
    const order = names.map((_, i) => names[(i + r) % names.length])
    const result = round(s, order, r === 0)
    if (r > 0) perRound.get(s.id).push(result)
  }
  if (r > 0) process.stderr.write(`round ${r}/${ROUNDS} done\r`)
}
process.stderr.write('\n')

const results = all.map((s) => {
  const rounds = perRound.get(s.id)
  const libs = Object.keys(s.tasks)
  const res = Object.fromEntries(libs.map((l) => [l, summary(rounds.map((x) => x[l]))]))
  const ratio = (other) =>
    res[other] ? summary(rounds.map((x) => x.token007 / x[other])) : undefined
  return {
    id: s.id,
    label: s.label,
    kind: s.kind,
    batch: s.batch,
    results: res,
    vsAgora: ratio('agora-token'),
    vsNode: ratio('node:crypto+zlib'),
  }
})
const byId = Object.fromEntries(results.map((r) => [r.id, r]))
if (only) {
  for (const r of results) {
    const cells = Object.entries(r.results).map(([lib, x]) => `${lib} ${formatOps(x.median)}`)
    const ratio = r.vsAgora ? ` = ${r.vsAgora.median.toFixed(2)}x agora-token` : ''
    console.log(`${r.id}: ${cells.join(', ')}${ratio}`)
  }
  process.exit(0)
}

// ---------------------------------------------------------------------------------------------
// The hashing floor

const blocks = (bytes) => Math.ceil((bytes + 9) / 64)
// Build: k1 is cached per (certificate, issueTs), so a token costs the salt HMAC (2 key blocks +
// 1 message block + 1 outer block) and the signature HMAC (2 key blocks + the signing info +
// 1 outer block). Verify of a token with a new issueTs adds the 4 compressions of k1.
const infoBytes = sizes.rtc.signingInfoBytes
const buildCompressions = 4 + 3 + blocks(infoBytes)
const verifyCompressions = buildCompressions + 4
// Every ratio to the floor is taken within a round of the step-by-step scenario, where the
// compression was timed beside the steps, then the median over rounds is reported.
const partRounds = perRound.get('parts')
const perToken = (name) => summary(partRounds.map((x) => 1e9 / x[name]))
const toFloor = (name, compressions) =>
  summary(partRounds.map((x) => x['one SHA-256 compression'] / x[name] / compressions)).median
const nsPerCompression = perToken('one SHA-256 compression').median
const floor = {
  signingInfoBytes: infoBytes,
  nsPerCompression,
  nsPerNobleBlock: 1e9 / byId['sha256-block'].results['noble (reference)'].median,
  nsPerNodeBlock: 1e9 / byId['sha256-block'].results['node:crypto (reference)'].median,
  build: {
    compressions: buildCompressions,
    floorNs: buildCompressions * nsPerCompression,
    measuredNs: perToken('build: RtcTokenBuilder.buildTokenWithUid').median,
    ratio: toFloor('build: RtcTokenBuilder.buildTokenWithUid', buildCompressions),
    signingNs: perToken('  signInto (k1 cached)').median,
    signingRatio: toFloor('  signInto (k1 cached)', buildCompressions),
  },
  verify: {
    compressions: verifyCompressions,
    floorNs: verifyCompressions * nsPerCompression,
    measuredNs: perToken('verify: verifyToken (pool)').median,
    ratio: toFloor('verify: verifyToken (pool)', verifyCompressions),
    signingNs: perToken('  signatureMatches (k1 miss)').median,
    signingRatio: toFloor('  signatureMatches (k1 miss)', verifyCompressions),
  },
}

// ---------------------------------------------------------------------------------------------
// Report

const spread = (s) => `±${((100 * (s.p75 - s.p25)) / 2 / s.median).toFixed(0)}%`
const cell = (s) => (s ? `${formatOps(s.median)} ${spread(s)}` : '')
const sizeOf = {
  'build-rtc': 'rtc',
  'verify-rtc': 'rtc',
  'verify-rtc-same': 'rtc',
  'build-rtc-rtm': 'rtc+rtm',
  'verify-rtc-rtm': 'rtc+rtm',
  'build-rtm2-1k': 'rtm2 1k',
  'verify-rtm2-1k': 'rtm2 1k',
  'build-rtm2-8k': 'rtm2 8k',
  'verify-rtm2-8k': 'rtm2 8k',
  'build-60k': 'rtm2 60k',
  'build-mix': 'mix',
  'verify-mix': 'mix',
  'build-rtc-uuid': 'rtc uuid',
  'verify-60k': 'rtm2 60k',
}
const rows = results
  .filter((r) => r.kind === 'build' || r.kind === 'verify')
  .map((r) => {
    const size = sizes[sizeOf[r.id]]
    return [
      r.label,
      `${size.payloadBytes} B`,
      cell(r.results.token007),
      cell(r.results['agora-token']),
      cell(r.results['node:crypto+zlib']),
      `${r.vsAgora.median.toFixed(2)}×`,
      `${r.vsNode.median.toFixed(2)}×`,
      `${(1e9 / r.results.token007.median / size.payloadBytes).toFixed(1)}`,
    ]
  })
const header = [
  'scenario',
  'payload',
  'token007 ops/s',
  'agora-token ops/s',
  'node:crypto+zlib ops/s',
  '× agora-token',
  '× node',
  'ns/byte',
]
const table = markdownTable(header, rows)
console.log(table)

const floorText = [
  `SHA-256 compression (this run): token007 ${nsPerCompression.toFixed(0)} ns, @noble/hashes ${floor.nsPerNobleBlock.toFixed(0)} ns, node:crypto ${floor.nsPerNodeBlock.toFixed(0)} ns per 64-byte block.`,
  `Build (RTC publisher via RtcTokenBuilder, ${infoBytes}-byte signing info): ${buildCompressions} compressions (k1 cached) = floor ${(floor.build.floorNs / 1000).toFixed(2)} µs; measured ${(floor.build.measuredNs / 1000).toFixed(2)} µs = ${floor.build.ratio.toFixed(2)}× the floor; its signing step alone (signInto) ${(floor.build.signingNs / 1000).toFixed(2)} µs = ${floor.build.signingRatio.toFixed(2)}×.`,
  `Verify (pool, a new issueTs each): ${verifyCompressions} compressions = floor ${(floor.verify.floorNs / 1000).toFixed(2)} µs; measured ${(floor.verify.measuredNs / 1000).toFixed(2)} µs = ${floor.verify.ratio.toFixed(2)}× the floor; its signature check alone (signatureMatches) ${(floor.verify.signingNs / 1000).toFixed(2)} µs = ${floor.verify.signingRatio.toFixed(2)}×.`,
].join('\n')
console.log('\n' + floorText)

// The floor per scenario: what a build or verify of that scenario cannot avoid, each step timed
// alone on the scenario's own payloads: the signature (signInto with k1 cached for a build,
// signatureMatches with a k1 miss for a verify; the runtime's HMAC from 640 bytes of signing
// info) and the byte-exact deflate (build) or strict inflate (verify).
function timeEach(items, fn) {
  const reps = []
  for (let r = 0; r < 5; r++) {
    let ops = 0
    const start = performance.now()
    while (performance.now() - start < (quick ? 10 : 30)) {
      for (const x of items) fn(x)
      ops += items.length
    }
    reps.push((performance.now() - start) / ops)
  }
  return summary(reps).median * 1000 // µs
}
const floorRows = []
for (const r of results.filter((x) => x.kind === 'build' || x.kind === 'verify')) {
  const s = scenarios.find((x) => x.id === r.id)
  const tokens = s.kind === 'verify' ? s.tokens.slice(0, 16) : s.samples()
  const parts = tokens.map((token) => {
    const compressed = internals.decodeBase64(token, 3)
    const payload = internals.inflateZlib(compressed, CAP).slice()
    const d = T.decodeToken(token)
    return { compressed, payload, info: payload.subarray(34), signature: payload.slice(2, 34), d }
  })
  const signUs =
    s.kind === 'build'
      ? timeEach(parts, (x) => internals.signInto(CERT, NOW, x.d.salt, x.info, sigOut, 0))
      : timeEach(parts, (x) =>
          internals.signatureMatches(CERT, x.d.issueTs, x.d.salt, x.info, x.signature),
        )
  const zlibUs =
    s.kind === 'build'
      ? timeEach(parts, (x) => (sink ^= internals.deflateZlib(x.payload).length))
      : timeEach(parts, (x) => (sink ^= internals.inflateZlib(x.compressed, CAP).length))
  const wholeUs = 1e6 / r.results.token007.median
  const agoraUs = 1e6 / r.results['agora-token'].median
  floorRows.push([
    r.label,
    `${signUs.toFixed(2)} µs`,
    `${zlibUs.toFixed(2)} µs`,
    `${(signUs + zlibUs).toFixed(2)} µs`,
    `${wholeUs.toFixed(2)} µs`,
    `${((100 * (signUs + zlibUs)) / wholeUs).toFixed(0)}%`,
    `${agoraUs.toFixed(2)} µs`,
  ])
}
const floorTable = markdownTable(
  [
    'scenario (token007)',
    'signature',
    'deflate / inflate',
    'floor',
    'whole operation',
    'floor share',
    'agora-token',
  ],
  floorRows,
)
console.log(`\n${floorTable}`)

const partsResult = byId.parts.results
const partsRows = Object.keys(breakdown.tasks).map((name) => [
  name.startsWith(' ') ? `&nbsp;&nbsp;${name.trim()}` : name,
  `${(1e9 / partsResult[name].median / 1000).toFixed(2)} µs`,
])
const partsTable = markdownTable(
  ['token007, step by step (RTC publisher token)', 'time'],
  partsRows,
)
console.log('\n' + partsTable.replace(/&nbsp;/g, ' '))

const forgedResult = forgedLine(perRound.get(forged.id))
console.log(`\n${forgedResult.text}`)

const targets = {
  build: { ratio: byId['build-mix'].vsAgora.median, target: 4 },
  verify: { ratio: byId['verify-mix'].vsAgora.median, target: 3 },
  lowest: lowestRatio(),
  floor: { ratio: floor.build.ratio, target: 1.5 },
}
const targetsText =
  `Targets (realistic mix): build ${targets.build.ratio.toFixed(2)}× agora-token (≥ 4: ${targets.build.ratio >= 4 ? 'met' : 'NOT met'}), ` +
  `verify ${targets.verify.ratio.toFixed(2)}× (≥ 3: ${targets.verify.ratio >= 3 ? 'met' : 'NOT met'}), ` +
  `lowest scenario ${targets.lowest.ratio.toFixed(2)}× (${targets.lowest.label}; ≥ 1: ${targets.lowest.ratio >= 1 ? 'met' : 'NOT met'}), ` +
  `build ${targets.floor.ratio.toFixed(2)}× the hashing floor (≤ 1.5: ${targets.floor.ratio <= 1.5 ? 'met' : 'NOT met'}).`
console.log(`\n${targetsText}`)

// The command line streaming a load test's tokens to a file, against the in-process rate.
const cliBatch = await measureCliBatch({
  count: Number(process.env.BENCH_CLI_COUNT ?? (quick ? 20_000 : 100_000)),
  rounds: quick ? 1 : 3,
})
console.log(describeCliBatch(cliBatch))

// The HTTP server (issue 18): `token007 serve` against Express + agora-token, from the last
// `npm run bench:server` (a load test of its own, too long to repeat here).
const server = readJson(new URL('server/results.json', here))
const serverText = describeServer(server)
console.log(`\n${serverText}`)

const machine = {
  cpu: cpus()[0].model.trim(),
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${osType()} ${release()}`,
}
const versions = {
  node: process.version,
  v8: process.versions.v8,
  token007: requireRoot('./package.json').version,
  'agora-token': requireHere('agora-token/package.json').version,
  tinybench: JSON.parse(readFileSync(new URL('node_modules/tinybench/package.json', here), 'utf8'))
    .version,
}
const previous = readJson(new URL('results.json', here))
const json = {
  date: new Date().toISOString(),
  machine,
  versions,
  settings: { rounds: ROUNDS, timeMs: TIME_MS },
  sizes,
  scenarios: results,
  floor,
  floorPerScenario: floorRows,
  targets,
  forged: {
    normalUs: forgedResult.normalUs,
    forgedUs: forgedResult.forgedUs,
    ratio: forgedResult.ratio.median,
    floorRatio: forgedResult.floorRatio,
  },
  cliBatch,
  server: server
    ? { date: server.date, ratio: server.ratio, rows: server.rows.map(({ runs, ...row }) => row) }
    : undefined,
  memory: previous?.memory,
}
const caption = `Measured ${json.date.slice(0, 10)} on ${machine.cpu} (${machine.cores} cores, shared), Node ${process.version}; median of ${ROUNDS} interleaved rounds.`
if (quick) {
  // A development run: too short to publish, so the published results stay as they are.
  console.log('\n--quick: results not written')
  process.exit(0)
}
writeFileSync(new URL('results.json', here), JSON.stringify(json, null, 2) + '\n')
const chartScenarios = results
  .filter((r) => r.kind === 'build' || r.kind === 'verify')
  .map((r) => ({ label: r.label, results: r.results, ratio: r.vsAgora.median }))
writeFileSync(new URL('results.svg', here), renderChart(chartScenarios, LIBS, caption))
console.log('\nWrote bench/results.json and bench/results.svg')

if (process.argv.includes('--readme'))
  updateReadme(
    table,
    `${floorText}\n${targetsText}\n${serverText}`,
    `${floorTable}\n\n${partsTable}`,
    caption,
    json,
  )

// ---------------------------------------------------------------------------------------------

/** One line on the server load test's requests/s and p99 latency, or how to get them. */
function describeServer(data) {
  if (!data?.rows?.length)
    return 'Server: no bench/server/results.json yet (`npm run bench:server`).'
  const ours = data.rows.find((r) => r.name.startsWith('token007'))
  const theirs = data.rows.find((r) => r.name.startsWith('Express'))
  if (!ours || !theirs) return 'Server: bench/server/results.json lacks a row.'
  return (
    `Server (\`npm run bench:server\`, ${data.date.slice(0, 10)}, ${data.connections} connections, ${data.rounds} rounds of ${data.requestsPerRun.toLocaleString('en-US')} requests): ` +
    `${ours.name} ${Math.round(ours.rps).toLocaleString('en-US')} requests/s, p99 ${ours.p99} ms; ` +
    `${theirs.name} ${Math.round(theirs.rps).toLocaleString('en-US')} requests/s, p99 ${theirs.p99} ms; ` +
    `${(ours.rps / theirs.rps).toFixed(2)}× the requests/s.`
  )
}

/** The build or verify scenario with the lowest ratio to agora-token. */
function lowestRatio() {
  const rows = results.filter((r) => r.kind === 'build' || r.kind === 'verify')
  const low = rows.reduce((a, b) => (b.vsAgora.median < a.vsAgora.median ? b : a))
  return { ratio: low.vsAgora.median, label: low.label }
}

function markdownTable(head, body) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(head), line(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...body.map(line)].join(
    '\n',
  )
}

function readJson(url) {
  try {
    return JSON.parse(readFileSync(url, 'utf8'))
  } catch {
    return undefined
  }
}

/** Replaces only the generated block between the bench markers inside the performance section. */
function updateReadme(tableText, floorLines, partsText, captionText, data) {
  const url = new URL('docs/performance.md', root)
  const readme = readFileSync(url, 'utf8')
  const start = '<!-- bench:results -->'
  const end = '<!-- /bench:results -->'
  const i = readme.indexOf(start)
  const j = readme.indexOf(end)
  if (i < 0 || j < i) throw new Error('docs/performance.md has no bench:results markers')
  const memory = data.memory
    ? `\nHeap after a full GC every million operations (\`npm run bench:memory\`, ${data.memory.date.slice(0, 10)}): ${data.memory.summary}\n`
    : ''
  const block = `${start}\n${captionText}\n\n${tableText}\n\n${floorLines
    .split('\n')
    .map((l) => `- ${l}`)
    .join('\n')}\n${memory}\n${partsText}\n${end}`
  writeFileSync(url, readme.slice(0, i) + block + readme.slice(j + end.length))
  console.log('Updated the results block of docs/performance.md')
}

/**
 * token007's internal steps (SHA-256 compression, signing, zlib, base64, salt), bundled from src/
 * with esbuild, for the hashing floor and the breakdown of where a build's time goes.
 */
async function loadInternals() {
  const esbuild = requireHere('esbuild')
  const contents = [
    "export { compress, SHA256_IV } from './lib/sha256.ts'",
    "export { signInto, signatureMatches } from './lib/sign.ts'",
    "export { deflateZlibTransient as deflateZlib, inflateZlibTransient as inflateZlib } from './lib/zlib.ts'",
    "export { encodeBase64, decodeBase64 } from './lib/base64.ts'",
    "export { randomSalt } from './lib/random.ts'",
  ].join('\n')
  const out = await esbuild.build({
    stdin: {
      contents,
      resolveDir: new URL('src', root).pathname,
      loader: 'ts',
      sourcefile: 'internals.ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    write: false,
    logLevel: 'error',
  })
  return import(
    `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`
  )
}

export { sink }
