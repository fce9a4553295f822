// token007 build: make a token with the typed API; stdout carries the token alone, so that
// TOKEN=$(token007 build …) works.
import {
  agentToken,
  apaasToken,
  chatToken,
  decodeToken,
  fpaToken,
  parseDuration,
  rtcToken,
  rtmToken,
  type Duration,
  type RtcTokenOptions,
  type Rtm2PermissionMap,
  type RtcPrivilege,
  type TokenOptions,
} from '../index.js'
import { type BatchPlan, type Built, batchOptions, runBatch } from './batch.js'
import type { Command } from './command.js'
import { EXIT } from './command.js'
import { appIdFrom, CREDENTIAL_HELP, requiredCertificates } from './credentials.js'
import { withFlagNames } from './flag-names.js'
import { integerFlag, rtcUser, userIdFlag } from './identity.js'
import type { Io } from './io.js'
import { jsonText, plain } from './json.js'
import { randomSalt } from './salt.js'
import { suggestion } from './suggest.js'
import { echoed } from './text.js'
import { isoSeconds, parseTime } from './time.js'
import { listFlag, parseFlags, requiredFlag, stringFlag, UsageError, type Values } from './usage.js'

const HELP = `Usage: token007 build <kind> [options]

Builds a token with the typed API and prints it alone on stdout.

Kinds and their options:
  rtc        --channel <name> (--uid <n> | --account <name>) --role publisher|subscriber
             [--privilege-expires-in <dur>] or, per privilege, repeated:
             [--privilege-expires-in joinChannel=<dur> --privilege-expires-in publishVideoStream=<dur>]
             [--rtm-user-id <id> [--rtm-expires-in <dur>]]   (adds an RTM login to the token)
  rtm        --user-id <id> [--permissions <json>]   (with permissions: an RTM2 token, e.g.
             '{"messageChannels":{"read":["lobby"],"write":["lobby"]}}')
  chat       --user-id <id>   a Chat user token
             --app            a Chat app token
  apaas      --room-uuid <id> --user-uuid <id> --role <n>   a room-user token
             --user-uuid <id>   a user token;   --app   an app token
  fpa        (no options of its own)
  convoai    the rtc options, with --rtm-user-id <id> required (an agent token)
  stt        the same, for speech-to-text

Options of every kind:
${CREDENTIAL_HELP}
  --expires-in <dur>    lifetime: seconds, or 90s, 30m, 1h, 24h, 7d, 1h30m (default 1h)
  --expires-at <time>   or an end time: ISO 8601, Unix seconds, or an offset such as +2h
  --issued-at <time>    pin the issue time (default now; also now, +2h, -30m), for
                        reproducible tokens
  --salt <n>            pin the salt (default random 1..99999999)
  --max-lifetime <dur>  the longest lifetime accepted for the token and its privileges (the
                        typed API's maxLifetime; Agora caps a token's useful life at 24 h)
  --no-guards           turn off the guards against common mistakes (the typed API's
                        guards: false), to reproduce what the reference builders make
  --json                print {"token", "decoded"} instead of the token alone
  -h, --help            this help

Many tokens (load tests, bot fleets):
  --count <n>           build n tokens, streamed one record per line. Any other string or
                        number option may hold templates: {i} (the record's index), {i+K},
                        {i%K}; write {{ and }} for literal braces
  --start <k>           the first index (default 0)
  --format <f>          jsonl (default): {"i","channelName","uid","userId","token","expiresAt"}
                        csv: a header line, then RFC 4180 rows; tokens: one token per line
  -o, --output <file>   write to a file (under a temporary name, renamed when complete)
  Before anything is written, the templates are checked and the records where a templated
  value changes shape (first, last, a digit more, 0, a modulo wrapping) are built; a record
  that fails stops the run, naming it and its flag. Progress goes to stderr on a terminal.

Examples:
  TOKEN=$(token007 build rtc --channel room-1 --uid 42 --role publisher --expires-in 1h)
  token007 build rtc --channel room-1 --account alice --role subscriber --privilege-expires-in 10m
  token007 build rtm --user-id alice --expires-in 8h
  token007 build chat --app --expires-in 24h --json
  token007 build rtc --count 5000 --channel 'load-{i%100}' --uid '{i+1000}' --role publisher \\
    --format csv -o bots.csv`

const OPTIONS = {
  json: { type: 'boolean' },
  'app-id': { type: 'string' },
  cert: { type: 'string', multiple: true },
  'cert-file': { type: 'string', multiple: true },
  'expires-in': { type: 'string' },
  'expires-at': { type: 'string' },
  'issued-at': { type: 'string' },
  salt: { type: 'string' },
  channel: { type: 'string' },
  uid: { type: 'string' },
  account: { type: 'string' },
  role: { type: 'string' },
  'privilege-expires-in': { type: 'string', multiple: true },
  'rtm-user-id': { type: 'string' },
  'rtm-expires-in': { type: 'string' },
  'user-id': { type: 'string' },
  permissions: { type: 'string' },
  app: { type: 'boolean' },
  'room-uuid': { type: 'string' },
  'user-uuid': { type: 'string' },
  count: { type: 'string' },
  start: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'max-lifetime': { type: 'string' },
  'no-guards': { type: 'boolean' },
} as const

const COMMON = [
  'help',
  'debug',
  'json',
  'app-id',
  'cert',
  'cert-file',
  'expires-in',
  'expires-at',
  'issued-at',
  'salt',
  'count',
  'start',
  'format',
  'output',
  'max-lifetime',
  'no-guards',
]
const RTC = [
  'channel',
  'uid',
  'account',
  'role',
  'privilege-expires-in',
  'rtm-user-id',
  'rtm-expires-in',
]

/** Option names of the typed API → the flags that set them. */
const FLAG_NAMES = {
  appId: '--app-id',
  appCertificate: '--cert',
  expiresIn: '--expires-in',
  expiresAt: '--expires-at',
  'source.now()': '--issued-at',
  'source.salt()': '--salt',
  channelName: '--channel',
  uid: '--uid/--account',
  role: '--role',
  privilegeExpiresIn: '--privilege-expires-in',
  rtmUserId: '--rtm-user-id',
  rtmExpiresIn: '--rtm-expires-in',
  userId: '--user-id',
  permissions: '--permissions',
  roomUuid: '--room-uuid',
  userUuid: '--user-uuid',
  maxLifetime: '--max-lifetime',
  guards: '--no-guards',
}

type Builder = (values: Values, common: TokenOptions) => string

const KINDS: Readonly<Record<string, { flags: readonly string[]; build: Builder }>> = {
  rtc: { flags: RTC, build: (v, common) => rtcToken(rtcOptions(v, common)) },
  rtm: {
    flags: ['user-id', 'permissions'],
    build: (v, common) =>
      rtmToken(
        withCommon(
          { userId: requiredUserId(v), ...optional('permissions', permissions(v)) },
          common,
        ),
      ),
  },
  chat: {
    flags: ['user-id', 'app'],
    build: (v, common) => {
      const userId = userIdFlag(v, 'user-id')
      if ((userId === undefined) === (v.app === undefined)) {
        throw new UsageError(
          'build chat needs --user-id <id> (a user token) or --app (an app token)',
        )
      }
      return chatToken(withCommon(optional('userId', userId), common))
    },
  },
  apaas: {
    flags: ['room-uuid', 'user-uuid', 'role', 'app'],
    build: (v, common) => {
      const roomUuid = stringFlag(v, 'room-uuid')
      const userUuid = userIdFlag(v, 'user-uuid')
      const role = stringFlag(v, 'role')
      const app = v.app !== undefined
      if (app === (roomUuid !== undefined || userUuid !== undefined || role !== undefined)) {
        throw new UsageError(
          'build apaas needs --room-uuid, --user-uuid and --role (a room-user token), --user-uuid alone (a user token) or --app',
        )
      }
      const roleNumber = role === undefined ? undefined : integerFlag(role, 'role', -32768, 32767)
      return apaasToken(
        withCommon(
          {
            ...optional('roomUuid', roomUuid),
            ...optional('userUuid', userUuid),
            ...optional('role', roleNumber),
          },
          common,
        ),
      )
    },
  },
  fpa: { flags: [], build: (_v, common) => fpaToken(common) },
  convoai: {
    flags: RTC,
    build: (v, common) => agentToken(agentOptions(v, common, 'convoai')),
  },
  stt: {
    flags: RTC,
    build: (v, common) => agentToken(agentOptions(v, common, 'stt')),
  },
}

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS)
  if (values.help) {
    io.out(`${HELP}\n`)
    return EXIT.ok
  }
  const kinds = Object.keys(KINDS).join(', ')
  if (positionals.length === 0) throw new UsageError(`build needs a kind: ${kinds}`)
  if (positionals.length > 1) {
    throw new UsageError(
      `build takes one kind, got ${positionals.length} arguments (does a flag before one of them need a value?)`,
    )
  }
  const kind = positionals[0]
  const spec = Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined
  if (spec === undefined) {
    const hint = echoed(kind).startsWith('"') ? suggestion(kind, Object.keys(KINDS)) : ''
    throw new UsageError(`unknown kind ${echoed(kind)}; expected one of ${kinds}${hint}`)
  }
  const stray = Object.keys(values).find(
    (name) => !COMMON.includes(name) && !spec.flags.includes(name),
  )
  if (stray !== undefined) throw new UsageError(`--${stray} does not apply to build ${kind}`)

  const batch = batchOptions(values)
  const credentials = await credentialsFrom(values, io)
  if (batch !== undefined)
    return runBatch(batchPlan(kind, spec, values, credentials, io), batch, io)
  const { options } = timeOptions(values, io)
  const token = withFlagNames(FLAG_NAMES, () => spec.build(values, { ...credentials, ...options }))
  io.out(values.json ? jsonText({ token, decoded: plain(decodeToken(token)) }) : `${token}\n`)
  return EXIT.ok
}

type Credentials = Pick<TokenOptions, 'appId' | 'appCertificate'>
/**
 * The typed API's guard options (maxLifetime, guards: false), passed through as given: the
 * library checks them.
 */
interface GuardOptions {
  maxLifetime?: Duration
  guards?: boolean
}
type TimeOptions = Omit<TokenOptions, 'appId' | 'appCertificate'> & GuardOptions

async function credentialsFrom(values: Values, io: Io): Promise<Credentials> {
  const appId = appIdFrom(values, io)
  const { certificates } = await requiredCertificates(values, io)
  if (certificates.length > 1) throw new UsageError('build signs with one certificate')
  return { appId, appCertificate: certificates[0] }
}

/**
 * The lifetime and (when pinned) the issue time and salt, and the expiry of the token built
 * with them (`expiresAt()`, Unix seconds, valid after a build).
 */
function timeOptions(values: Values, io: Io): { options: TimeOptions; expiresAt(): number } {
  const options: TimeOptions = {}
  const expiresIn = stringFlag(values, 'expires-in')
  const expiresAtText = stringFlag(values, 'expires-at')
  if (expiresIn !== undefined && expiresAtText !== undefined) {
    throw new UsageError('--expires-in and --expires-at cannot be used together')
  }
  if (expiresIn !== undefined) options.expiresIn = expiresIn
  const expiresAt =
    expiresAtText === undefined ? undefined : parseTime(expiresAtText, '--expires-at', io.now())
  if (expiresAt !== undefined) options.expiresAt = expiresAt
  const maxLifetime = stringFlag(values, 'max-lifetime')
  if (maxLifetime !== undefined) options.maxLifetime = maxLifetime
  if (values['no-guards'] === true) options.guards = false
  const issuedAt = stringFlag(values, 'issued-at')
  const salt = stringFlag(values, 'salt')
  const nowMs =
    issuedAt === undefined ? undefined : parseTime(issuedAt, '--issued-at', io.now()).getTime()
  const pinnedSalt = salt === undefined ? undefined : integerFlag(salt, 'salt', 0, 0xffff_ffff)
  // The Io's clock, so that one clock rules the whole command line; the last reading is kept
  // for the expiry of the token it stamped.
  let stampedMs = 0
  options.source = {
    now: () => {
      stampedMs = nowMs ?? io.now()
      return stampedMs
    },
    salt: pinnedSalt === undefined ? randomSalt : () => pinnedSalt,
  }
  let lifetime: number | undefined
  return {
    options,
    expiresAt() {
      if (expiresAt !== undefined) return Math.floor(expiresAt.getTime() / 1000)
      lifetime ??= parseDuration(expiresIn ?? DEFAULT_LIFETIME, '--expires-in')
      return Math.floor(stampedMs / 1000) + lifetime
    },
  }
}

/** The typed API's default lifetime. */
const DEFAULT_LIFETIME = '1h'

const TIME_FLAGS = ['expires-in', 'expires-at', 'issued-at', 'salt', 'max-lifetime'] as const

/** Flags that never hold templates: credentials and the batch's own. */
const NOT_TEMPLATED = new Set(['app-id', 'cert', 'cert-file', 'count', 'start', 'format', 'output'])

/** How build --count builds each record of `kind`. */
function batchPlan(
  kind: string,
  spec: (typeof KINDS)[string],
  values: Values,
  credentials: Credentials,
  io: Io,
): BatchPlan {
  const templatable = Object.entries(OPTIONS)
    .filter(([name, option]) => option.type === 'string' && !NOT_TEMPLATED.has(name))
    .map(([name]) => name)
  let time: ReturnType<typeof timeOptions> | undefined
  let common: TokenOptions = credentials
  const timeKey: unknown[] = TIME_FLAGS.map(() => undefined)
  const rtcLike = spec.flags === RTC
  const fields: BatchPlan['fields'] = rtcLike
    ? ['channelName', 'uid', ...(values['rtm-user-id'] === undefined ? [] : ['userId' as const])]
    : (kind === 'rtm' || kind === 'chat') && values['user-id'] !== undefined
      ? ['userId']
      : []
  // Consecutive records mostly share their expiry second: its text is made once.
  let lastExpiry = -1
  let lastExpiryText = ''
  const expiryText = (seconds: number) => {
    if (seconds !== lastExpiry) [lastExpiry, lastExpiryText] = [seconds, isoSeconds(seconds)]
    return lastExpiryText
  }
  return {
    values,
    templatable,
    fields,
    build(v) {
      // The time options are parsed again only when a templated one changed.
      let changed = time === undefined
      for (let n = 0; n < TIME_FLAGS.length; n++) {
        if (v[TIME_FLAGS[n]] !== timeKey[n]) [changed, timeKey[n]] = [true, v[TIME_FLAGS[n]]]
      }
      if (changed || time === undefined) {
        time = timeOptions(v, io)
        common = { ...credentials, ...time.options }
      }
      const t = time
      const options = common
      const token = withFlagNames(FLAG_NAMES, () => spec.build(v, options))
      const built: Built = { token, expiresAt: expiryText(t.expiresAt()) }
      if (rtcLike) {
        built.channelName = v.channel as string
        built.uid = v.account === undefined ? Number(v.uid) : (v.account as string)
        if (v['rtm-user-id'] !== undefined) built.userId = v['rtm-user-id'] as string
      } else if (fields.length > 0) built.userId = v['user-id'] as string
      return built
    },
  }
}

/** The options of an RTC token: `common` and the RTC flags, in one object (built per record). */
function rtcOptions(values: Values, common: TokenOptions): RtcTokenOptions {
  const channelName = requiredFlag(values, 'channel', 'the channel name')
  const uid = rtcUser(values)
  if (uid === undefined)
    throw new UsageError('--uid <n> or --account <name> is required (0 = any uid)')
  const role = requiredFlag(values, 'role', 'publisher or subscriber')
  if (role !== 'publisher' && role !== 'subscriber') {
    throw new UsageError("--role: expected 'publisher' or 'subscriber'")
  }
  const options: RtcTokenOptions = withCommon({ channelName, uid, role }, common)
  const privilegeExpiresIn = privilegeLifetimes(values)
  if (privilegeExpiresIn !== undefined) options.privilegeExpiresIn = privilegeExpiresIn
  const rtmUserId = userIdFlag(values, 'rtm-user-id')
  if (rtmUserId !== undefined) options.rtmUserId = rtmUserId
  const rtmExpiresIn = stringFlag(values, 'rtm-expires-in')
  if (rtmExpiresIn !== undefined) options.rtmExpiresIn = rtmExpiresIn
  return options
}

function agentOptions(values: Values, common: TokenOptions, kind: 'convoai' | 'stt') {
  const rtmUserId = userIdFlag(values, 'rtm-user-id')
  if (rtmUserId === undefined)
    throw new UsageError("--rtm-user-id is required (the agent's RTM user id)")
  return Object.assign(rtcOptions(values, common), { kind, rtmUserId })
}

/** One lifetime for every privilege, or `name=duration` pairs. */
function privilegeLifetimes(
  values: Values,
): Duration | Partial<Record<RtcPrivilege, Duration>> | undefined {
  const given = listFlag(values, 'privilege-expires-in')
  if (given.length === 0) return undefined
  const pairs = given.filter((g) => g.includes('='))
  if (pairs.length === 0 && given.length === 1) return given[0]
  if (pairs.length !== given.length) {
    throw new UsageError(
      '--privilege-expires-in: give one duration for all privileges, or only <privilege>=<duration> pairs',
    )
  }
  const lifetimes: Record<string, string> = {}
  for (const pair of pairs) {
    const [name, duration] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]
    if (name in lifetimes) throw new UsageError(`--privilege-expires-in: ${name} is given twice`)
    lifetimes[name] = duration
  }
  return lifetimes
}

function requiredUserId(values: Values): string {
  const userId = userIdFlag(values, 'user-id')
  if (userId === undefined) throw new UsageError('--user-id is required (the user who logs in)')
  return userId
}

function permissions(values: Values): Rtm2PermissionMap | undefined {
  const text = stringFlag(values, 'permissions')
  if (text === undefined) return undefined
  try {
    return JSON.parse(text) as Rtm2PermissionMap
  } catch {
    throw new UsageError(
      `--permissions: expected JSON such as '{"messageChannels":{"read":["lobby"]}}'`,
    )
  }
}

/**
 * `own` with the options every kind shares. Object.assign, not a spread of `common`: V8 copies
 * that object on its slow path, several microseconds per record of a batch.
 */
function withCommon<T extends object>(own: T, common: TokenOptions): T & TokenOptions {
  return Object.assign(own, common)
}

/** `{ [key]: value }`, or `{}` for a flag that was not given: options left out, not undefined. */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>)
}

/** `token007 build`. */
export const buildCommand: Command = {
  name: 'build',
  summary: 'build a token (rtc, rtm, chat, apaas, fpa, convoai, stt) and print it',
  help: HELP,
  run,
}
