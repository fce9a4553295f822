// token007 verify: check a token's signature, lifetime and claims; the exit code says the verdict.
import {
  InvalidArgument,
  parseDuration,
  TokenClaimMismatch,
  TokenError,
  verifyToken,
  type ServiceRequirement,
  type ServiceType,
  type UserId,
  type VerifiedToken,
  type VerifyOptions,
  SERVICE_TYPES,
} from '../index.js'
import type { Command } from './command.js'
import { EXIT } from './command.js'
import { optionalAppId, requiredCertificates } from './credentials.js'
import { withFlagNames } from './flag-names.js'
import { rtcUser, userIdFlag } from './identity.js'
import type { Io } from './io.js'
import { jsonText, plain } from './json.js'
import { createStyle } from './style.js'
import { redacted, sanitized, secretCandidates, shown } from './text.js'
import { expiryPhrase, parseTime } from './time.js'
import { decodeGiven, expectOneToken, readToken, withTokenHint } from './token-input.js'
import { parseFlags, stringFlag, UsageError, type Values } from './usage.js'

const SERVICES = SERVICE_TYPES

const HELP = `Usage: token007 verify [<token> | -] --cert <hex> [options]

Verifies a token offline: its structure, its signature (against one certificate, or several
during a rotation), its app id, its lifetime, and the service and privilege you ask for.

Options:
  --cert <hex>              the app certificate; repeat for several (default
                            $AGORA_APP_CERTIFICATE, also read: $TOKEN007_APP_CERTIFICATE,
                            $APP_CERTIFICATE)
  --cert -                  read the certificate from stdin (then give the token as an argument)
  --cert-file <path>        read it from a file (repeatable); neither shows in the process
                            list or the shell history
  --app-id <hex>            the app the token must be for (default $AGORA_APP_ID, also read:
                            $TOKEN007_APP_ID, $APP_ID)
  --service <type>          a service the token must grant: ${SERVICES.join(', ')}
                            (default: rtc with --channel/--uid/--account, rtm with --user-id,
                            apaas with --room-uuid/--user-uuid)
  --privilege <name>        a privilege of that service that must still be valid, e.g.
                            joinChannel, publishAudioStream, login, user (or a numeric id)
  --channel <name>          the channel the token must be for
  --uid <n>                 the uid it must be for (a token for uid 0 admits any uid)
  --account <name>          the string user account it must be for (rtc, streaming, fcdn)
  --user-id <id>            the user it must be for (rtm, rtm2, chat)
  --room-uuid <id>          apaas: the room
  --user-uuid <id>          apaas: the user
  --at <time>               verify as of this time: ISO 8601, Unix seconds, now, or an offset
                            such as +2h or -30m (default now)
  --clock-tolerance <dur>   leeway for clock skew, e.g. 30 or 30s (default 0)
  --zero-privilege <how>    a privilege of 0 lasts as long as the token ('token', the
                            default) or ended at issue ('expired')
  --json                    the verdict as JSON on stdout
  -h, --help                this help

A 006 token is verified for the channel and uid it was made for: give --channel and --uid (or
--account; for an RTM token --user-id alone).

Exit status: 0 valid; 1 rejected (the error code and the reason on stderr); 2 usage error.

Examples:
  token007 verify "$TOKEN" --cert "$CERT" --channel room-1 --uid 42 --privilege publishVideoStream
  token007 verify "$TOKEN" --cert "$NEW_CERT" --cert "$OLD_CERT" --json
  token007 verify "$TOKEN" --cert-file ./certificate.txt --at +2h --clock-tolerance 30s`

const OPTIONS = {
  json: { type: 'boolean' },
  cert: { type: 'string', multiple: true },
  'cert-file': { type: 'string', multiple: true },
  'app-id': { type: 'string' },
  service: { type: 'string' },
  privilege: { type: 'string' },
  channel: { type: 'string' },
  uid: { type: 'string' },
  account: { type: 'string' },
  'user-id': { type: 'string' },
  'room-uuid': { type: 'string' },
  'user-uuid': { type: 'string' },
  at: { type: 'string' },
  'clock-tolerance': { type: 'string' },
  'zero-privilege': { type: 'string' },
} as const

const FLAG_NAMES = {
  appId: '--app-id',
  privilege: '--privilege',
  service: '--service',
  channelName: '--channel',
  uid: '--uid',
  account: '--account',
  userId: '--user-id',
  roomUuid: '--room-uuid',
  userUuid: '--user-uuid',
  currentDate: '--at',
  clockTolerance: '--clock-tolerance',
  zeroPrivilege: '--zero-privilege',
}

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS)
  if (values.help) {
    io.out(`${HELP}\n`)
    return EXIT.ok
  }
  expectOneToken(positionals)
  const { certificates, readStdin } = await requiredCertificates(values, io)
  const token = await readToken(positionals, io, readStdin)
  const appId = optionalAppId(values, io)

  let options: VerifyOptions
  let verified: VerifiedToken
  try {
    // Flags that do not fit the token's version are a usage error, but only for a token that
    // can be read at all: an unreadable one is rejected whatever the flags say.
    const is006 = token.startsWith('006') && decodeGiven(token).version === '006'
    options = verifyOptions(values, is006, io)
    if (appId !== undefined) options.appId = appId
    verified = withFlagNames(FLAG_NAMES, () => verifyToken(token, certificates, options))
  } catch (caught) {
    const err = withTokenHint(caught, token)
    if (!(err instanceof TokenError) || err instanceof InvalidArgument) throw err
    return rejected(err, values, io, args)
  }
  const { certificateIndex, ...decoded } = verified
  if (values.json) {
    io.out(jsonText({ valid: true, certificateIndex, token: plain(decoded) }))
    return EXIT.ok
  }
  const style = createStyle(io.color)
  const nowMs = (options.currentDate as Date).getTime()
  const endMs = verified.version === '007' ? verified.expiresAt.getTime() : verified.ts * 1000
  const which =
    certificates.length > 1
      ? `certificate ${certificateIndex + 1} of ${certificates.length}`
      : 'the certificate'
  const granted = describeRequirement(options.require as ServiceRequirement | undefined)
  const app = /^[0-9a-fA-F]{32}$/.test(verified.appId) ? verified.appId : shown(verified.appId)
  io.out(
    `${style.green('valid')}: ${verified.version} token for app ${app}, signed with ${which}` +
      `${granted}; ${expiryPhrase(endMs, nowMs)}\n`,
  )
  return EXIT.ok
}

function rejected(err: TokenError, values: Values, io: Io, args: readonly string[]): number {
  // The message may quote the token's fields (escaped) or a claim given as an argument (never a
  // piece of a possible certificate).
  const message = sanitized(redacted(err.message, secretCandidates(args)))
  if (values.json) {
    const claim = err instanceof TokenClaimMismatch ? { claim: err.claim } : {}
    io.out(jsonText({ valid: false, code: err.code, message, ...claim }))
  }
  io.err(`token007 verify: rejected: ${err.code}: ${message}\n`)
  return EXIT.rejected
}

/** The verifyToken options the flags ask for. */
function verifyOptions(values: Values, is006: boolean, io: Io): VerifyOptions {
  const options: VerifyOptions = {}
  const at = stringFlag(values, 'at')
  // The Io's clock, not the library's own: one clock for the whole command line.
  options.currentDate = at === undefined ? new Date(io.now()) : parseTime(at, '--at', io.now())
  const tolerance = stringFlag(values, 'clock-tolerance')
  if (tolerance !== undefined) {
    options.clockTolerance = withFlagNames({}, () => parseDuration(tolerance, '--clock-tolerance'))
  }
  const zero = stringFlag(values, 'zero-privilege')
  if (zero !== undefined) {
    if (zero !== 'token' && zero !== 'expired') {
      throw new UsageError("--zero-privilege: expected 'token' or 'expired'")
    }
    options.zeroPrivilege = zero
  }
  if (is006) Object.assign(options, subject006(values))
  else {
    const requirement = requirementFrom(values)
    if (requirement !== undefined) options.require = requirement
  }
  return options
}

/** A 006 token's signature covers its channel and uid: both are needed. */
function subject006(values: Values): { channelName: string; uid: UserId } {
  for (const name of ['service', 'privilege', 'room-uuid', 'user-uuid']) {
    if (values[name] !== undefined) {
      throw new UsageError(
        `--${name} applies to 007 tokens; a 006 token is verified for --channel and --uid`,
      )
    }
  }
  const user = rtcUser(values)
  const userId = userIdFlag(values, 'user-id')
  const channel = stringFlag(values, 'channel')
  // An RTM 006 token is made for (account, uid 0): the account takes the channel's place.
  if (userId !== undefined && channel === undefined && user === undefined) {
    return { channelName: userId, uid: 0 }
  }
  if (userId !== undefined)
    throw new UsageError('--user-id cannot be used with --channel/--uid for a 006 token')
  if (channel === undefined || user === undefined) {
    throw new UsageError(
      'a 006 token carries only CRC-32s of its channel and uid, and its signature covers them: ' +
        'pass --channel and --uid (or --account), or --user-id for an RTM token',
    )
  }
  return { channelName: channel, uid: user }
}

/** The service requirement the flags describe, or undefined when they describe none. */
function requirementFrom(values: Values): ServiceRequirement | undefined {
  const user = rtcUser(values)
  const channelName = stringFlag(values, 'channel')
  const userId = userIdFlag(values, 'user-id')
  const roomUuid = stringFlag(values, 'room-uuid')
  const userUuid = stringFlag(values, 'user-uuid')
  const privilege = stringFlag(values, 'privilege')
  let service = stringFlag(values, 'service') as ServiceType | undefined
  if (service !== undefined && !SERVICES.includes(service)) {
    throw new UsageError(`--service: expected one of ${SERVICES.join(', ')}`)
  }
  service ??=
    channelName !== undefined || user !== undefined
      ? 'rtc'
      : roomUuid !== undefined || userUuid !== undefined
        ? 'apaas'
        : userId !== undefined
          ? 'rtm'
          : undefined
  if (service === undefined) {
    if (privilege === undefined) return undefined
    throw new UsageError(
      '--privilege needs --service (or --channel/--uid for rtc, --user-id for rtm)',
    )
  }
  const requirement: ServiceRequirement = { service }
  if (privilege !== undefined) requirement.privilege = privilege
  const fits = (flags: string[], types: ServiceType[]) => {
    const given = flags.filter((f) => values[f] !== undefined)
    if (given.length > 0 && !types.includes(service)) {
      throw new UsageError(
        `--${given[0]} does not apply to a ${service} service (only ${types.join(', ')})`,
      )
    }
    return given.length > 0
  }
  if (fits(['channel'], ['rtc', 'streaming', 'fcdn'])) requirement.channelName = channelName
  if (fits(['uid', 'account'], ['rtc', 'streaming', 'fcdn'])) {
    if (service === 'rtc') requirement.uid = user
    else requirement.account = user
  }
  if (fits(['user-id'], ['rtm', 'rtm2', 'chat'])) requirement.userId = userId
  if (fits(['room-uuid'], ['apaas'])) requirement.roomUuid = roomUuid
  if (fits(['user-uuid'], ['apaas'])) requirement.userUuid = userUuid
  return requirement
}

function describeRequirement(req: ServiceRequirement | undefined): string {
  if (req === undefined) return ''
  const what =
    req.privilege === undefined ? `a ${req.service} service` : `${req.service} ${req.privilege}`
  const subject = [
    req.channelName === undefined ? '' : ` in ${shown(req.channelName)}`,
    req.uid === undefined
      ? ''
      : typeof req.uid === 'number'
        ? ` for uid ${req.uid}`
        : ` for account ${shown(req.uid)}`,
    req.account === undefined ? '' : ` for account ${shown(String(req.account))}`,
    req.userId === undefined ? '' : ` for user ${shown(String(req.userId))}`,
    req.roomUuid === undefined ? '' : ` in room ${shown(req.roomUuid)}`,
    req.userUuid === undefined ? '' : ` for user ${shown(req.userUuid)}`,
  ].join('')
  return `, grants ${what}${subject}`
}

/** `token007 verify`. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify a token: signature, app id, lifetime, channel/user, privilege (exit 0/1)',
  help: HELP,
  run,
}
