// token007 doctor: why would this token be rejected? diagnoseToken's findings, readable or JSON;
// the exit code says whether any of them is an error.
import {
  diagnoseToken,
  type DecodedToken,
  type DiagnoseExpected,
  type Finding,
  type ServiceType,
  SERVICE_TYPES,
} from '../index.js'
import type { Command } from './command.js'
import { EXIT } from './command.js'
import { CREDENTIAL_HELP, optionalAppId, readCertificates } from './credentials.js'
import { rtcUser, userIdFlag } from './identity.js'
import type { Io } from './io.js'
import { jsonText, plain } from './json.js'
import { createStyle, type Style } from './style.js'
import { expiryPhrase, isoSeconds, parseTime } from './time.js'
import { readToken } from './token-input.js'
import { parseFlags, stringFlag, UsageError, type Values } from './usage.js'

const SERVICES = SERVICE_TYPES

const HELP = `Usage: token007 doctor [<token> | -] [options]

Explains why a token would be rejected: every problem found, with what to change in the code that
built it and the error an Agora client would report (109 token expired, 110 invalid token, ...).
Give what the app does (its app id, channel, uid, role) to compare the token with it, and the
certificate to check the signature. The token is read from stdin when it is '-' or not given.

Options:
${CREDENTIAL_HELP}
                        (--app-id: the app id the client uses; each certificate given, or
                        several for a rotation, is tried against the signature)
  --service <type>        the service the app uses: ${SERVICES.join(', ')}
  --channel <name>        the channel the app joins
  --uid <n>               the uid it joins with (0: the SDK assigns one)
  --account <name>        or the string user account it joins with
  --user-id <id>          the user id it logs in with (rtm, rtm2, chat)
  --role <role>           publisher (the app publishes) or subscriber
  --at <time>             judge the token at this time (ISO 8601 or Unix seconds; default now)
  --json                  {"ok", "findings", "token"} on stdout
  -h, --help              this help

Exit status: 0 when no finding is an error; 1 otherwise (or the token cannot be read);
2 for a usage error.

Examples:
  token007 doctor "$TOKEN" --channel room-1 --uid 42 --role publisher
  echo "$TOKEN" | token007 doctor --service rtm --user-id alice --json
  token007 doctor "$TOKEN" --cert-file ./certificates.txt --app-id "$APP_ID"`

const OPTIONS = {
  json: { type: 'boolean' },
  'app-id': { type: 'string' },
  cert: { type: 'string', multiple: true },
  'cert-file': { type: 'string', multiple: true },
  service: { type: 'string' },
  channel: { type: 'string' },
  uid: { type: 'string' },
  account: { type: 'string' },
  'user-id': { type: 'string' },
  role: { type: 'string' },
  at: { type: 'string' },
} as const

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS)
  if (values.help) {
    io.out(`${HELP}\n`)
    return EXIT.ok
  }
  const { expected, readStdin } = await expectationsFrom(values, io)
  const token = await readToken(positionals, io, readStdin)
  const result = diagnoseToken(token, expected)
  const nowMs = expected.at?.getTime() ?? io.now()
  if (values.json) {
    io.out(
      jsonText({
        ok: result.ok,
        findings: result.findings,
        token: result.token === undefined ? null : plain(result.token),
      }),
    )
  } else {
    io.out(`${reportText(result.token, result.findings, nowMs, createStyle(io.color))}\n`)
  }
  return result.ok ? EXIT.ok : EXIT.rejected
}

async function expectationsFrom(
  values: Values,
  io: Io,
): Promise<{ expected: DiagnoseExpected; readStdin: boolean }> {
  const expected: DiagnoseExpected = {}
  const appId = optionalAppId(values, io)
  if (appId !== undefined) expected.appId = appId
  const { certificates, readStdin } = await readCertificates(values, io)
  if (certificates.length > 0) expected.appCertificates = certificates
  const service = stringFlag(values, 'service')
  if (service !== undefined) {
    if (!SERVICES.includes(service as ServiceType)) {
      throw new UsageError(`--service: expected one of ${SERVICES.join(', ')}`)
    }
    expected.service = service as ServiceType
  }
  const channel = stringFlag(values, 'channel')
  if (channel !== undefined) expected.channelName = channel
  const user = rtcUser(values)
  if (typeof user === 'number') expected.uid = user
  else if (user !== undefined) expected.account = user
  const userId = userIdFlag(values, 'user-id')
  if (userId !== undefined) expected.userId = userId
  const role = stringFlag(values, 'role')
  if (role !== undefined) {
    if (role !== 'publisher' && role !== 'subscriber') {
      throw new UsageError('--role: expected publisher or subscriber')
    }
    expected.role = role
  }
  const at = stringFlag(values, 'at')
  if (at !== undefined) expected.at = parseTime(at, '--at', io.now())
  return { expected, readStdin }
}

const MARK = { error: '✗', warning: '!', info: 'i' } as const

function reportText(
  token: DecodedToken | undefined,
  findings: readonly Finding[],
  nowMs: number,
  style: Style,
): string {
  const lines: string[] = []
  if (token !== undefined) lines.push(style.bold(summary(token, nowMs)), '')
  for (const f of findings) {
    const paint =
      f.severity === 'error' ? style.red : f.severity === 'warning' ? style.yellow : style.dim
    const agora = f.agoraError === undefined ? '' : `, Agora error ${f.agoraError}`
    lines.push(paint(`${MARK[f.severity]} ${f.code}`) + style.dim(` (${f.severity}${agora})`))
    lines.push(`  ${f.message}`)
    if (f.fix !== undefined) lines.push(style.dim(`  fix: ${f.fix}`))
  }
  lines.push('', verdict(findings, style))
  return lines.join('\n')
}

function summary(t: DecodedToken, nowMs: number): string {
  const app = /^[0-9a-fA-F]{32}$/.test(t.appId) ? t.appId : '(not 32 hex characters)'
  if (t.version === '006') {
    return `006 token (legacy) for app ${app}; ${expiryPhrase(t.ts * 1000, nowMs)} (${isoSeconds(t.ts)})`
  }
  const end = t.issueTs + t.expire
  const services = t.services.map((s) => s.type).join(' + ') || 'no service'
  return `007 token for app ${app}: ${services}; ${expiryPhrase(end * 1000, nowMs)} (${isoSeconds(end)})`
}

function verdict(findings: readonly Finding[], style: Style): string {
  const count = (severity: Finding['severity'], one: string) => {
    const n = findings.filter((f) => f.severity === severity).length
    return `${n} ${one}${n === 1 ? '' : 's'}`
  }
  const counts = `${count('error', 'error')}, ${count('warning', 'warning')}, ${count('info', 'note')}`
  return findings.some((f) => f.severity === 'error')
    ? style.red(`${counts}: the token would be rejected`)
    : style.green(`${counts}: no reason to reject the token`)
}

/** `token007 doctor`. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'explain why a token would be rejected, and what to change where it is built',
  help: HELP,
  run,
}
